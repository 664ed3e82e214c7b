/* stamp.c: the stamp every written block carries, and the check of every
 * block read.
 *
 * Interface: wl_stamp_fill() fills one block for a write; wl_stamp_check()
 * judges one block a read returned against what the model expects.
 *
 * A block holds, in little-endian 64-bit words:
 *   word 0  WL_STAMP_MAGIC
 *   word 1  the LBA
 *   word 2  the LUN (low 32 bits) and the generation (high 32 bits)
 *   word 3  the id of the request that wrote it
 *   word 4  a checksum of the whole block with this word taken as zero
 *   rest    a fill that steps by an odd constant from a seed mixed from
 *           LUN, LBA and generation
 * The fill makes every block of every write different, so a block that
 * lands at the wrong place, or a stale copy, is told apart by its header;
 * the checksum catches damage anywhere in the block.
 *
 * The checksum adds up every word XORed with a constant of its position:
 * each term is a bijection of its word, so changing any one word always
 * changes the sum, and two words swapped change it too unless their XOR
 * happens to cancel. Both loops are a few adds and XORs per word with no
 * dependency but the running sum, which the compiler vectorises: every
 * block of every request goes through them, so they are on the hot path.
 */
#include <string.h>

#include "workload/wl_int.h"

#define WL_STAMP_MAGIC 0x31504D5453534C57ull /* "WLSSTMP1" */
#define WL_POISON 0x4E4F53494F504C57ull     /* "WLPOISON" */
#define SUM_WORD 4

static uint64_t
load(const void *block, size_t word)
{
    uint64_t v;

    memcpy(&v, (const uint8_t *)block + word * 8, 8);
    return v;
}

static void
store(void *block, size_t word, uint64_t v)
{
    memcpy((uint8_t *)block + word * 8, &v, 8);
}

#define FILL_STEP 0x9E3779B97F4A7C15ull
#define SUM_STEP 0xD6E8FEB86659FD93ull

/* The sum of every word XORed with its position times SUM_STEP, the
 * checksum word counting as zero, in four running sums that do not wait
 * on each other. */
static uint64_t
checksum(const void *block, uint32_t size)
{
    size_t n = size / 8, w = 0;
    uint64_t a = 0, b = 0, c = 0, d = 0;

    for (; w + 4 <= n; w += 4) {
        a += load(block, w) ^ (w * SUM_STEP);
        b += load(block, w + 1) ^ ((w + 1) * SUM_STEP);
        c += load(block, w + 2) ^ ((w + 2) * SUM_STEP);
        d += load(block, w + 3) ^ ((w + 3) * SUM_STEP);
    }
    for (; w < n; w++)
        a += load(block, w) ^ (w * SUM_STEP);
    a += b + c + d - (load(block, SUM_WORD) ^ (SUM_WORD * SUM_STEP)) +
         SUM_WORD * SUM_STEP;
    a *= 0xBF58476D1CE4E5B9ull;
    return a ^ (a >> 31);
}

void
wl_stamp_fill(void *block, uint32_t size, uint32_t lun, uint64_t lba,
              uint32_t gen, uint64_t request)
{
    uint64_t v = (lba * 0x9E3779B97F4A7C15ull ^ ((uint64_t)gen << 32 | lun))
                 * 0xBF58476D1CE4E5B9ull;

    store(block, 0, WL_STAMP_MAGIC);
    store(block, 1, lba);
    store(block, 2, (uint64_t)gen << 32 | lun);
    store(block, 3, request);
    for (size_t w = SUM_WORD + 1; w < size / 8; w++) {
        v += FILL_STEP;
        store(block, w, v ^ (v >> 29));
    }
    store(block, SUM_WORD, checksum(block, size));
}

/* Mark a block that a read will fill: if the read moves no data, the
 * block is neither zeros nor a stamp, whatever the buffer held before. */
void
wl_stamp_poison(void *block, uint32_t size)
{
    (void)size;
    store(block, 0, WL_POISON);
    store(block, SUM_WORD, WL_POISON);
}

static bool
all_zero(const void *block, uint32_t size)
{
    static const uint8_t zeros[4096];

    if (size <= sizeof zeros)    /* the C library's compare is vectorised */
        return memcmp(block, zeros, size) == 0;
    for (size_t w = 0; w < size / 8; w++)
        if (load(block, w) != 0)
            return false;
    return true;
}

/* What may be there when the model does not know (a failed write, a block
 * it had no room to track, or a disk that was not fresh): zeros or a good
 * stamp of this very block. Misdirected and damaged stamps still fail. */
static enum wl_verdict
check_unknown(const void *block, uint32_t size, uint32_t lun, uint64_t lba,
              bool anything_goes)
{
    if (all_zero(block, size))
        return WL_V_WEAK;
    if (load(block, 0) != WL_STAMP_MAGIC)
        return anything_goes ? WL_V_WEAK : WL_V_GARBAGE;
    if (load(block, SUM_WORD) != checksum(block, size))
        return WL_V_BAD_SUM;
    if (load(block, 1) != lba || (uint32_t)load(block, 2) != lun)
        return WL_V_BAD_WHERE;
    return WL_V_WEAK;
}

enum wl_verdict
wl_stamp_check(const void *block, uint32_t size, uint32_t lun, uint64_t lba,
               uint32_t expect, bool fresh, uint32_t *found)
{
    *found = load(block, 0) == WL_STAMP_MAGIC ? (uint32_t)(load(block, 2) >> 32) : 0;
    if (expect == WL_GEN_UNKNOWN || (expect == WL_GEN_NONE && !fresh))
        return check_unknown(block, size, lun, lba, expect == WL_GEN_NONE);
    if (all_zero(block, size))
        return expect == WL_GEN_NONE ? WL_V_ZERO : WL_V_ZERO_BAD;
    if (load(block, 0) != WL_STAMP_MAGIC)
        return WL_V_GARBAGE;
    if (load(block, SUM_WORD) != checksum(block, size))
        return WL_V_BAD_SUM;
    if (load(block, 1) != lba || (uint32_t)load(block, 2) != lun)
        return WL_V_BAD_WHERE;
    if (expect == WL_GEN_NONE)
        return WL_V_NOT_ZERO;
    return *found == expect ? WL_V_STAMP : WL_V_BAD_GEN;
}

const char *
wl_verdict_name(enum wl_verdict v)
{
    static const char *const names[] = {
        [WL_V_STAMP] = "as written", [WL_V_ZERO] = "zero as expected",
        [WL_V_WEAK] = "plausible", [WL_V_BAD_SUM] = "checksum mismatch",
        [WL_V_BAD_WHERE] = "stamp of another block (misdirected)",
        [WL_V_BAD_GEN] = "stamp of another write (stale or lost write)",
        [WL_V_NOT_ZERO] = "data where nothing was written",
        [WL_V_ZERO_BAD] = "zeros where a write completed",
        [WL_V_GARBAGE] = "no stamp (garbage)",
    };
    return (unsigned)v <= WL_V_GARBAGE ? names[v] : "?";
}
