/* test_physmem.c: simulated physical memory: mapping both ways, frame
 * placement, SG lists, copies across pages, determinism, teardown. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/physmem.h"
#include "storsim/sim.h"
#include "tests/sim_helpers.h"

#define PG PHYSMEM_PAGE_SIZE

START_TEST(test_alloc_maps_every_byte)
{
    uint8_t *p = physmem_alloc(3 * PG + 100, false);
    uint64_t pa;

    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % PG, 0);
    for (size_t off = 0; off < 4 * PG; off += 777) {
        pa = physmem_virt_to_phys(p + off);
        ck_assert_uint_ne(pa, 0);
        ck_assert_uint_eq(pa % PG, off % PG);        /* offset kept */
        ck_assert_ptr_eq(physmem_phys_to_virt(pa), p + off);
    }
    ck_assert_uint_eq(p[4 * PG - 1], 0);             /* zeroed, slack too */
    ck_assert_int_eq(physmem_free(p), 0);
    physmem_reset();
}
END_TEST

START_TEST(test_unmapped_lookups)
{
    static uint8_t not_physmem[64];
    uint8_t *p = physmem_alloc(PG, false);
    uint64_t pa = physmem_virt_to_phys(p);

    ck_assert_uint_eq(physmem_virt_to_phys(not_physmem), 0);
    ck_assert_ptr_null(physmem_phys_to_virt(0));
    ck_assert_int_eq(physmem_free(p + 8), -EINVAL);  /* not the start */
    ck_assert_int_eq(physmem_free(not_physmem), -EINVAL);
    ck_assert_int_eq(physmem_free(NULL), 0);
    ck_assert_int_eq(physmem_free(p), 0);
    ck_assert_ptr_null(physmem_phys_to_virt(pa));    /* unmapped by free */
    ck_assert_ptr_null(physmem_alloc(0, false));
    ck_assert_ptr_null(physmem_alloc(PHYSMEM_MAX_ALLOC + 1, true));
    physmem_reset();
}
END_TEST

START_TEST(test_contiguous_frames_are_consecutive)
{
    uint8_t *p = physmem_alloc(16 * PG, true);
    uint64_t base = physmem_virt_to_phys(p);
    struct physmem_extent ext[4];
    size_t n;

    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(physmem_virt_to_phys(p + i * PG), base + (uint64_t)i * PG);
    ck_assert_int_eq(physmem_build_sg(p, 16 * PG, ext, 4, 0, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(ext[0].phys, base);
    ck_assert_uint_eq(ext[0].length, 16 * PG);
    physmem_reset();
}
END_TEST

/* A scattered 64 KiB buffer is a real multi-element SG list, and about
 * one page in four still lands next to its predecessor. */
START_TEST(test_scattered_frames)
{
    struct physmem_extent ext[64];
    size_t total_ext = 0, adjacent = 0, n;
    bool above_4g = false;

    for (int b = 0; b < 32; b++) {
        uint8_t *p = physmem_alloc(64 * 1024, false);
        size_t sum = 0;

        ck_assert_int_eq(physmem_build_sg(p, 64 * 1024, ext, 64, 0, &n), 0);
        ck_assert_uint_gt(n, 1);
        for (size_t i = 0; i < n; i++) {
            sum += ext[i].length;
            above_4g |= ext[i].phys >> 32 != 0;
        }
        ck_assert_uint_eq(sum, 64 * 1024);
        total_ext += n;
        adjacent += 16 - n;
    }
    ck_assert(above_4g);
    /* 32 buffers x 15 page boundaries, ~1/4 adjacent: about 120. */
    ck_assert_uint_gt(adjacent, 60);
    ck_assert_uint_lt(adjacent, 200);
    ck_assert_uint_eq(total_ext + adjacent, 32 * 16);
    physmem_reset();
}
END_TEST

START_TEST(test_sg_limits)
{
    uint8_t *p = physmem_alloc(8 * PG, true);
    struct physmem_extent ext[8];
    size_t n;

    /* Contiguous memory from an unaligned start, split at max_len. */
    ck_assert_int_eq(physmem_build_sg(p + 100, 3 * PG, ext, 8, PG, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(ext[0].length, PG);
    ck_assert_uint_eq(ext[0].phys, physmem_virt_to_phys(p + 100));
    ck_assert_uint_eq(ext[2].phys, physmem_virt_to_phys(p + 100 + 2 * PG));
    ck_assert_uint_eq(ext[2].length, PG);
    ck_assert_int_eq(physmem_build_sg(p + 100, 3 * PG + 1, ext, 8, PG, &n), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(ext[3].length, 1);
    ck_assert_int_eq(physmem_build_sg(p, 8 * PG, ext, 2, PG, &n), -E2BIG);
    ck_assert_uint_eq(n, 8);                         /* how many it needs */
    ck_assert_int_eq(physmem_build_sg(p, 9 * PG, ext, 8, 0, &n), -EFAULT);
    ck_assert_int_eq(physmem_build_sg(p, 0, NULL, 0, 0, &n), 0);
    ck_assert_uint_eq(n, 0);
    physmem_reset();
}
END_TEST

START_TEST(test_copies_cross_pages)
{
    uint8_t *p = physmem_alloc(4 * PG, false);
    uint8_t src[3 * PG], dst[3 * PG];
    uint64_t pa = physmem_virt_to_phys(p + PG - 10);
    struct physmem_extent ext[8];
    size_t n, off = 0;

    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(i * 7 + 3);
    /* Write through the SG extents, as a device would. */
    ck_assert_int_eq(physmem_build_sg(p + PG - 10, sizeof src, ext, 8, 0, &n), 0);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(physmem_write(ext[i].phys, src + off, ext[i].length), 0);
        off += ext[i].length;
    }
    ck_assert_mem_eq(p + PG - 10, src, sizeof src);
    memset(dst, 0, sizeof dst);
    ck_assert_int_eq(physmem_read(ext[0].phys, dst, ext[0].length), 0);
    ck_assert_mem_eq(dst, src, ext[0].length);
    ck_assert_uint_eq(pa, ext[0].phys);
    /* One byte past a mapped frame into an unmapped one fails whole. */
    ck_assert_int_eq(physmem_write(0x1000, src, 1), -EFAULT);
    ck_assert_int_eq(physmem_read(0x1000, dst, 1), -EFAULT);
    physmem_reset();
}
END_TEST

START_TEST(test_phys_run)
{
    uint8_t *p = physmem_alloc(2 * PG, true);
    uint64_t pa = physmem_virt_to_phys(p);
    void *host;

    ck_assert_uint_eq(physmem_phys_run(pa + 5, 2 * PG, &host), 2 * PG - 5);
    ck_assert_ptr_eq(host, p + 5);
    ck_assert_uint_eq(physmem_phys_run(pa, 100, &host), 100);
    ck_assert_uint_eq(physmem_phys_run(pa + 2 * PG, 1, &host), 0);
    ck_assert_ptr_null(host);
    physmem_reset();
}
END_TEST

/* Same machine seed, same allocations, same addresses; another seed moves
 * them. Works with a machine too. */
static uint64_t
first_frames(uint64_t seed)
{
    struct sim_config cfg;
    uint64_t h = 0;

    sim_config_default(&cfg);
    cfg.seed = seed;
    ck_assert_int_eq(sim_create(&cfg, NULL, 0), 0);
    for (int i = 0; i < 8; i++) {
        uint8_t *p = physmem_alloc(3 * PG, i & 1);
        for (int k = 0; k < 3; k++)
            h = h * 31 + physmem_virt_to_phys(p + k * PG);
    }
    sim_destroy();
    physmem_reset();
    return h;
}

START_TEST(test_deterministic)
{
    uint64_t a = first_frames(7), b = first_frames(7), c = first_frames(8);

    ck_assert_uint_eq(a, b);
    ck_assert_uint_ne(a, c);
}
END_TEST

START_TEST(test_stats_and_reset)
{
    struct physmem_stats st;
    void *ptrs[100];

    for (int i = 0; i < 100; i++)
        ptrs[i] = physmem_alloc((size_t)(i % 5 + 1) * PG, i % 2);
    physmem_get_stats(&st);
    ck_assert_uint_eq(st.allocations, 100);
    ck_assert_uint_eq(st.pages, 20 * (1 + 2 + 3 + 4 + 5));
    ck_assert_uint_eq(st.contiguous, 50);
    for (int i = 0; i < 100; i += 2)
        ck_assert_int_eq(physmem_free(ptrs[i]), 0);
    physmem_get_stats(&st);
    ck_assert_uint_eq(st.allocations, 50);
    /* Every survivor still maps both ways after the deletions. */
    for (int i = 1; i < 100; i += 2) {
        uint64_t pa = physmem_virt_to_phys(ptrs[i]);
        ck_assert_ptr_eq(physmem_phys_to_virt(pa), ptrs[i]);
    }
    physmem_reset();           /* frees the rest: ASan checks for leaks */
    physmem_get_stats(&st);
    ck_assert_uint_eq(st.allocations, 0);
    ck_assert_uint_eq(physmem_virt_to_phys(ptrs[1]), 0);
}
END_TEST

Suite *
physmem_suite(void)
{
    Suite *s = suite_create("physmem");
    TCase *tc = tcase_create("mapping");

    tcase_add_test(tc, test_alloc_maps_every_byte);
    tcase_add_test(tc, test_unmapped_lookups);
    tcase_add_test(tc, test_contiguous_frames_are_consecutive);
    tcase_add_test(tc, test_scattered_frames);
    tcase_add_test(tc, test_phys_run);
    suite_add_tcase(s, tc);
    tc = tcase_create("sg");
    tcase_add_test(tc, test_sg_limits);
    tcase_add_test(tc, test_copies_cross_pages);
    suite_add_tcase(s, tc);
    tc = tcase_create("lifecycle");
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_stats_and_reset);
    suite_add_tcase(s, tc);
    return s;
}
