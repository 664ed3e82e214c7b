/* cdb_cli.c - `storsim cdb`: send one raw CDB to a LUN of a fresh default SIMHBA. */
/*
 * Interface: hba_cdb_main() and hba_cdb_run() (include/storsim/hba.h);
 * src/main.c calls hba_cdb_main() for `storsim cdb ...`.
 *
 * No port driver is involved: a tiny polling driver, running as a thread
 * on the one CPU of a fresh machine, programs one-slot rings, posts the
 * request, rings the doorbell and polls CMPL_PROD until the completion
 * arrives. So the command goes through the real register, ring and DMA
 * path, exactly as a miniport's would, and takes simulated time only.
 *
 * Output: the SCSI status, the sense in words, and the data as a hex dump;
 * --response-hex prints only the data bytes and --sense-hex only the sense
 * bytes, as plain hex pairs, 16 a line (for scripts). Exit status: 0 for
 * GOOD, 1 for anything else, 2 for bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"

#define EXIT_GOOD 0
#define EXIT_NOT_GOOD 1
#define EXIT_USAGE 2
#define MAX_DATA_OUT 65536
#define POLL_LIMIT SIM_SEC(10)

static const char usage[] =
    "usage: storsim cdb [--lun N] [--data-out HEX] [--response-hex | --sense-hex]"
    " HEXBYTES...\n";

enum cdb_output { OUT_ALL, OUT_RESPONSE, OUT_SENSE };

struct cdb_args {
    unsigned lun;
    uint8_t cdb[SIMHBA_MAX_CDB];
    size_t cdb_len;
    uint8_t *data_out;
    size_t out_len;
    enum cdb_output mode;
};

/* What the polling driver works with, and what it brings back. */
struct cdb_drv {
    struct hba *hba;
    struct simhba_req_desc *req;
    struct simhba_cmpl_desc *cmpl;
    struct simhba_req_desc desc;
    struct simhba_cmpl_desc done;
    bool completed;
    struct sim_thread_item item;
};

/* ---------- arguments ---------- */

static int
bad(FILE *err, const char *fmt, const char *what)
{
    fprintf(err, "storsim cdb: ");
    fprintf(err, fmt, what);
    fprintf(err, "\n%s", usage);
    return -EINVAL;
}

static int
parse_lun(const char *v, unsigned *lun, FILE *err)
{
    char *end;
    long n;

    if (v == NULL)
        return bad(err, "%s needs a LUN number", "--lun");
    n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 0 || n >= HBA_MAX_LUNS_PER_TARGET) {
        fprintf(err, "storsim cdb: --lun: '%s' is not a LUN number (0-%d)\n%s",
                v, HBA_MAX_LUNS_PER_TARGET - 1, usage);
        return -EINVAL;
    }
    *lun = (unsigned)n;
    return 0;
}

static int
add_data_out(struct cdb_args *a, const char *v, FILE *err)
{
    char msg[160];
    size_t n;

    if (v == NULL)
        return bad(err, "%s needs hex bytes", "--data-out");
    if (scsi_disk_parse_hex(&v, 1, a->data_out + a->out_len,
                            MAX_DATA_OUT - a->out_len, &n, msg, sizeof msg) < 0)
        return bad(err, "--data-out: %s", msg);
    a->out_len += n;
    return 0;
}

/* Options first, then the CDB bytes; "--opt=value" or "--opt value". */
static int
parse_option(struct cdb_args *a, int argc, char **argv, int *i, FILE *err)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
    const char *val = eq ? eq + 1 : (*i + 1 < argc ? argv[*i + 1] : NULL);

    if (strcmp(arg, "--response-hex") == 0 || strcmp(arg, "--sense-hex") == 0) {
        if (a->mode != OUT_ALL)
            return bad(err, "%s: only one of --response-hex and --sense-hex",
                       arg);
        a->mode = arg[2] == 'r' ? OUT_RESPONSE : OUT_SENSE;
        return 0;
    }
    if (name_len == 5 && strncmp(arg, "--lun", 5) == 0) {
        *i += eq ? 0 : 1;
        return parse_lun(val, &a->lun, err);
    }
    if (name_len == 10 && strncmp(arg, "--data-out", 10) == 0) {
        *i += eq ? 0 : 1;
        return add_data_out(a, val, err);
    }
    return bad(err, "unknown option '%s'", arg);
}

static int
parse_cdb(struct cdb_args *a, int argc, char **argv, FILE *err)
{
    uint8_t bytes[64];
    char msg[160];
    size_t n;
    int rc;

    if (argc == 0)
        return bad(err, "%s", "no CDB given (hex bytes, e.g. 12 00 00 00 24 00)");
    rc = scsi_disk_parse_hex((const char *const *)argv, argc, bytes,
                             sizeof bytes, &n, msg, sizeof msg);
    if (rc == -E2BIG || (rc == 0 && n > SIMHBA_MAX_CDB)) {
        fprintf(err, "storsim cdb: the CDB is longer than %d bytes\n%s",
                SIMHBA_MAX_CDB, usage);
        return -EINVAL;
    }
    if (rc < 0)
        return bad(err, "CDB: %s", msg);
    memcpy(a->cdb, bytes, n);
    a->cdb_len = n;
    return 0;
}

static int
parse_args(struct cdb_args *a, int argc, char **argv, FILE *err)
{
    int i;

    for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (parse_option(a, argc, argv, &i, err) < 0)
            return -EINVAL;
    }
    return parse_cdb(a, argc - i, argv + i, err);
}

/* ---------- the polling driver ---------- */

static void
program_rings(struct cdb_drv *d)
{
    struct hba *h = d->hba;
    uint64_t req = physmem_virt_to_phys(d->req);
    uint64_t cmpl = physmem_virt_to_phys(d->cmpl);

    hba_write32(h, SIMHBA_REG_REQ_BASE_LO, (uint32_t)req, SIM_HERE);
    hba_write32(h, SIMHBA_REG_REQ_BASE_HI, (uint32_t)(req >> 32), SIM_HERE);
    hba_write32(h, SIMHBA_REG_REQ_SIZE, 1, SIM_HERE);
    hba_write32(h, SIMHBA_REG_CMPL_BASE_LO, (uint32_t)cmpl, SIM_HERE);
    hba_write32(h, SIMHBA_REG_CMPL_BASE_HI, (uint32_t)(cmpl >> 32), SIM_HERE);
    hba_write32(h, SIMHBA_REG_CMPL_SIZE, 1, SIM_HERE);
    hba_write32(h, SIMHBA_REG_CONTROL, SIMHBA_CONTROL_ENABLE, SIM_HERE);
}

static void
cdb_thread(void *ctx)
{
    struct cdb_drv *d = ctx;
    struct hba *h = d->hba;
    sim_time_t give_up = sim_now() + POLL_LIMIT;

    program_rings(d);
    d->req[0] = d->desc;
    hba_write32(h, SIMHBA_REG_REQ_DOORBELL, 1, SIM_HERE);
    while (hba_read32(h, SIMHBA_REG_CMPL_PROD, SIM_HERE) == 0) {
        if (sim_now() > give_up)
            return;
        sim_work(SIM_US(1), SIM_HERE);
    }
    d->done = d->cmpl[0];
    d->completed = true;
    hba_write32(h, SIMHBA_REG_CMPL_CONS, 1, SIM_HERE);
}

/* The data phase: the descriptor's direction and SG list. */
static int
fill_data(struct simhba_req_desc *r, const struct cdb_args *a, uint8_t *buf,
          uint32_t len)
{
    const struct scsi_disk_cmd_info *info = scsi_disk_command_info(a->cdb[0]);
    struct physmem_extent ext[SIMHBA_INLINE_SG];
    size_t n;

    if (a->out_len != 0) {
        memcpy(buf, a->data_out, a->out_len);
        r->direction = SIMHBA_DIR_OUT;
    } else if (info != NULL && info->dir == SCSI_DISK_DIR_IN) {
        r->direction = SIMHBA_DIR_IN;
    } else {
        return 0;
    }
    r->data_length = a->out_len ? (uint32_t)a->out_len : len;
    if (physmem_build_sg(buf, r->data_length, ext, SIMHBA_INLINE_SG, 0, &n) < 0)
        return -E2BIG;
    for (size_t i = 0; i < n; i++)
        r->sg[i] = (struct simhba_sg_elem){ ext[i].phys, ext[i].length, 0 };
    r->sg_count = (uint32_t)n;
    return 0;
}

/* ---------- running it ---------- */

static int
machine_up(FILE *err)
{
    struct sim_config mc;
    char msg[160];

    if (sim_exists()) {
        fprintf(err, "storsim cdb: a simulated machine is already running\n");
        return -EBUSY;
    }
    sim_config_default(&mc);
    mc.ncpus = 1;
    if (sim_create(&mc, msg, sizeof msg) < 0) {
        fprintf(err, "storsim cdb: %s\n", msg);
        return -ENOMEM;
    }
    return 0;
}

static void
machine_down(struct cdb_drv *d)
{
    hba_destroy(d->hba);
    sim_destroy();
    physmem_reset();
}

static int
setup(struct cdb_drv *d, const struct cdb_args *a, uint8_t **buf,
      uint8_t **sense, FILE *err)
{
    struct hba_config cfg;

    hba_config_default(&cfg);
    if (hba_create(&cfg, &d->hba) < 0) {
        fprintf(err, "storsim cdb: cannot create the adapter\n");
        return -ENOMEM;
    }
    if (hba_lun_disk(d->hba, 0, a->lun) == NULL) {
        fprintf(err, "storsim cdb: --lun %u: no such LUN (the default "
                "adapter has LUN 0 only)\n%s", a->lun, usage);
        return -EINVAL;
    }
    d->req = physmem_alloc(sizeof *d->req, true);
    d->cmpl = physmem_alloc(sizeof *d->cmpl, true);
    *buf = physmem_alloc(cfg.max_transfer, true);
    *sense = physmem_alloc(SIMHBA_MAX_SENSE, true);
    if (d->req == NULL || d->cmpl == NULL || *buf == NULL || *sense == NULL)
        return -ENOMEM;
    return 0;
}

static void
build_request(struct cdb_drv *d, const struct cdb_args *a, uint8_t *buf,
              uint8_t *sense)
{
    struct simhba_req_desc *r = &d->desc;

    memset(r, 0, sizeof *r);
    r->tag = 1;
    r->lun = (uint8_t)a->lun;
    r->cdb_len = (uint8_t)a->cdb_len;
    memcpy(r->cdb, a->cdb, a->cdb_len);
    r->sense_addr = physmem_virt_to_phys(sense);
    r->sense_length = SIMHBA_MAX_SENSE;
    fill_data(r, a, buf, hba_get_config(d->hba)->max_transfer);
}

/* ---------- output ---------- */

static void
hex_pairs(FILE *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%02x%s", p[i], (i % 16 == 15 || i + 1 == n) ? "\n" : " ");
}

static void
print_sense(FILE *out, const uint8_t *s, size_t n)
{
    char words[160];

    if (n < 14) {
        fprintf(out, "sense: none\n");
        return;
    }
    scsi_disk_sense_describe(s[2] & 0x0F, s[12], s[13], words, sizeof words);
    fprintf(out, "sense: %s (key 0x%X, ASC 0x%02X, ASCQ 0x%02X)\n", words,
            s[2] & 0x0F, s[12], s[13]);
    fprintf(out, "sense data: %zu bytes\n", n);
    scsi_disk_hexdump_file(out, s, n);
}

static void
print_all(FILE *out, const struct cdb_args *a, const struct simhba_cmpl_desc *c,
          const uint8_t *data, size_t moved, const uint8_t *sense)
{
    fprintf(out, "LUN %u: opcode 0x%02X %s\n", a->lun, a->cdb[0],
            scsi_disk_opcode_name(a->cdb[0]));
    fprintf(out, "status: %s (0x%02X)\n", scsi_disk_status_name(c->scsi_status),
            c->scsi_status);
    if (c->status != SIMHBA_CS_SUCCESS && c->status != SIMHBA_CS_ERROR)
        fprintf(out, "adapter status: %s (0x%02X)\n",
                hba_cmpl_status_name(c->status), c->status);
    print_sense(out, sense, (c->flags & SIMHBA_CMPL_F_SENSE) ? c->sense_length : 0);
    if (a->out_len != 0) {
        fprintf(out, "data-out: %zu bytes sent\n", moved);
        return;
    }
    fprintf(out, "data-in: %zu bytes\n", moved);
    scsi_disk_hexdump_file(out, data, moved);
}

static int
report(FILE *out, const struct cdb_args *a, const struct cdb_drv *d,
       const uint8_t *buf, const uint8_t *sense)
{
    const struct simhba_cmpl_desc *c = &d->done;
    size_t moved = d->desc.data_length - c->residual;
    size_t nsense = (c->flags & SIMHBA_CMPL_F_SENSE) ? c->sense_length : 0;

    if (!d->completed) {
        fprintf(out, "no completion within %llu s of simulated time\n",
                (unsigned long long)(POLL_LIMIT / SIM_SEC(1)));
        return EXIT_NOT_GOOD;
    }
    if (a->mode == OUT_RESPONSE)
        hex_pairs(out, buf, a->out_len ? 0 : moved);
    else if (a->mode == OUT_SENSE)
        hex_pairs(out, sense, nsense);
    else
        print_all(out, a, c, buf, moved, sense);
    return c->scsi_status == SCSI_STATUS_GOOD &&
           (c->status == SIMHBA_CS_SUCCESS || c->status == SIMHBA_CS_DATA_OVERRUN)
               ? EXIT_GOOD : EXIT_NOT_GOOD;
}

int
hba_cdb_run(int argc, char **argv, FILE *out, FILE *err)
{
    struct cdb_args a = { .data_out = malloc(MAX_DATA_OUT) };
    struct cdb_drv d = { 0 };
    uint8_t *buf = NULL, *sense = NULL;
    int rc;

    if (a.data_out == NULL || parse_args(&a, argc, argv, err) < 0 ||
        machine_up(err) < 0) {
        free(a.data_out);
        return EXIT_USAGE;
    }
    rc = setup(&d, &a, &buf, &sense, err);
    if (rc == 0) {
        build_request(&d, &a, buf, sense);
        sim_cpu_post(&d.item, 0, cdb_thread, &d, "cdb", 0);
        sim_run(NULL);
        rc = report(out, &a, &d, buf, sense);
    } else {
        rc = EXIT_USAGE;
    }
    machine_down(&d);
    free(a.data_out);
    return rc;
}

int
hba_cdb_main(int argc, char **argv)
{
    return hba_cdb_run(argc, argv, stdout, stderr);
}
