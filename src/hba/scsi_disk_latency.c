/* scsi_disk_latency.c - the disk latency model: presets, seek and rotation, seeded jitter. */
/*
 * Interface: scsi_disk_latency_preset() fills a model by name;
 * scsi_disk_latency_ns() prices one command and advances the disk's
 * generator and head position; scsi_disk_rng_next() is the generator.
 *
 * Everything is integer arithmetic on a splitmix64 generator seeded from
 * the configuration, so the same seed and the same commands give the same
 * times on every host: the simulation stays deterministic.
 *
 * Where the preset figures come from (typical values from vendor data;
 * docs/scsi-disk.md has the table):
 *   nvme    - Intel Optane SSD DC P4800X product brief: typical latency
 *             < 10 us read and write, 2400 MB/s sequential read, 2000 MB/s
 *             write; AnandTech measured 8.9 us mean for QD1 4 KiB reads.
 *   sas-ssd - a 12 Gb/s SAS NAND SSD (Seagate 1200.2 class): NAND reads
 *             take ~80 us at QD1 (Intel P3700: 77.9 us mean, same AnandTech
 *             test), plus SAS protocol and controller time; one 12 Gb/s
 *             lane moves ~1.1 GB/s; writes are absorbed by the drive's
 *             power-loss-protected DRAM in ~30 us.
 *   hdd-15k - Seagate Cheetah 15K.7 SAS product manual: 15,000 rpm (4 ms a
 *             revolution, 2.0 ms average rotational latency), sustained
 *             122-204 MB/s; Hitachi Ultrastar 15K450 specification:
 *             average seek 3.3 ms read, 3.8 ms write; Seagate manuals put
 *             controller overhead at 0.2 ms.
 */
#include <errno.h>
#include <string.h>

#include "hba/scsi_disk_int.h"

/* splitmix64 (Steele, Lea, Flood 2014): one add and two multiplies, passes BigCrush. */
uint64_t
scsi_disk_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

struct preset {
    const char *name;
    struct scsi_disk_latency lat;
};

/*
 * Figures in ns. A 4 KiB random read costs fixed + 4 * per_kib + jitter/2
 * on average: nvme ~9.7 us, sas-ssd ~89 us, hdd-15k ~5.5 ms (0.2 overhead
 * + 3.3 seek + 2.0 rotation). With the sqrt seek curve the average over
 * random pairs of positions is min + (max - min) * 8/15, so seek_max is
 * chosen to give the data-sheet average: 0.2 + 5.8 * 8/15 = 3.3 ms.
 */
static const struct preset presets[] = {
    { "nvme", {
        .control      = { .fixed_ns = 1000, .jitter_ns = 200 },
        .read         = { .fixed_ns = 7500, .per_kib_ns = 427, .jitter_ns = 1000 },
        .write        = { .fixed_ns = 7000, .per_kib_ns = 512, .jitter_ns = 1500 },
        .cached_write = { .fixed_ns = 3000, .per_kib_ns = 427, .jitter_ns = 500 },
        .flush        = { .fixed_ns = 2000, .per_kib_ns = 512 },
    } },
    { "sas-ssd", {
        .control      = { .fixed_ns = 10000, .jitter_ns = 1000 },
        .read         = { .fixed_ns = 80000, .per_kib_ns = 930, .jitter_ns = 10000 },
        .write        = { .fixed_ns = 30000, .per_kib_ns = 1100, .jitter_ns = 10000 },
        .cached_write = { .fixed_ns = 20000, .per_kib_ns = 930, .jitter_ns = 5000 },
        .flush        = { .fixed_ns = 50000, .per_kib_ns = 1100 },
    } },
    { "hdd-15k", {
        .control      = { .fixed_ns = 50000, .jitter_ns = 5000 },
        .read         = { .fixed_ns = 200000, .per_kib_ns = 5120, .jitter_ns = 20000,
                          .seek_min_ns = 200000, .seek_max_ns = 6000000 },
        .write        = { .fixed_ns = 200000, .per_kib_ns = 5120, .jitter_ns = 20000,
                          .seek_min_ns = 400000, .seek_max_ns = 6800000 },
        /* the cache takes data at the 6 Gb/s SAS link rate, ~600 MB/s */
        .cached_write = { .fixed_ns = 100000, .per_kib_ns = 1707, .jitter_ns = 10000 },
        /* one average access (3.8 ms seek + 2.0 ms rotation) to start destaging */
        .flush        = { .fixed_ns = 5800000, .per_kib_ns = 5120 },
        .rotation_ns  = 4000000,
    } },
};

#define NPRESETS (sizeof presets / sizeof presets[0])

int
scsi_disk_latency_preset(const char *name, struct scsi_disk_latency *out)
{
    for (size_t i = 0; name && i < NPRESETS; i++) {
        if (strcmp(presets[i].name, name) == 0) {
            *out = presets[i].lat;
            return 0;
        }
    }
    return -ENOENT;
}

const char *
scsi_disk_latency_preset_name(size_t i)
{
    return i < NPRESETS ? presets[i].name : NULL;
}

static uint64_t
isqrt(uint64_t v)
{
    uint64_t r = 0, bit = 1ull << 62;

    while (bit > v)
        bit >>= 2;
    for (; bit; bit >>= 2) {
        if (v >= r + bit) {
            v -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
    }
    return r;
}

/* Seek time grows with the square root of the distance (the arm accelerates, then brakes). */
static uint64_t
seek_ns(const struct scsi_disk_cost *k, uint64_t dist, uint64_t capacity)
{
    uint64_t frac;                  /* dist / capacity as a 0.32 fixed-point fraction */

    if (capacity <= UINT32_MAX)
        frac = (dist << 32) / capacity;
    else
        frac = dist / (capacity >> 32);
    if (frac > (1ull << 32))
        frac = 1ull << 32;
    return k->seek_min_ns + (k->seek_max_ns - k->seek_min_ns) * isqrt(frac) / 65536;
}

/* Seek plus rotational delay, unless the command starts where the last one ended. */
static uint64_t
position_ns(struct scsi_disk *d, const struct scsi_disk_cost *k, uint64_t lba, uint64_t bytes)
{
    uint64_t dist = lba > d->head ? lba - d->head : d->head - lba;
    uint64_t t = 0;

    if (dist) {
        t = seek_ns(k, dist, d->capacity);
        if (d->lat.rotation_ns)
            t += scsi_disk_rng_next(&d->rng) % d->lat.rotation_ns;
    }
    d->head = lba + bytes / d->block_size;
    return t;
}

static const struct scsi_disk_cost *
cost_of(const struct scsi_disk_latency *lat, enum scsi_disk_lat_kind kind)
{
    switch (kind) {
    case SCSI_DISK_LAT_READ:         return &lat->read;
    case SCSI_DISK_LAT_WRITE:        return &lat->write;
    case SCSI_DISK_LAT_CACHED_WRITE: return &lat->cached_write;
    case SCSI_DISK_LAT_FLUSH:        return &lat->flush;
    default:                         return &lat->control;
    }
}

uint64_t
scsi_disk_latency_ns(struct scsi_disk *disk, enum scsi_disk_lat_kind kind, uint64_t lba,
                     uint64_t bytes)
{
    const struct scsi_disk_cost *k = cost_of(&disk->lat, kind);
    /* split so that terabyte flushes cannot overflow the product */
    uint64_t t = k->fixed_ns + bytes / 1024 * k->per_kib_ns + bytes % 1024 * k->per_kib_ns / 1024;

    if (k->jitter_ns)
        t += scsi_disk_rng_next(&disk->rng) % (k->jitter_ns + 1);
    if (k->seek_max_ns && (kind == SCSI_DISK_LAT_READ || kind == SCSI_DISK_LAT_WRITE))
        t += position_ns(disk, k, lba, bytes);
    return t;
}
