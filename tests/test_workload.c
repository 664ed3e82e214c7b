/* test_workload.c: workloads against the fake port: data integrity (clean
 * runs, corruption, loss, duplicates, errors, the model's limits), the
 * submitting threads, statistics and determinism.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "storsim/workload.h"
#include "tests/sim_helpers.h"
#include "tests/test_workload_fake.h"

static struct fake_port fp;
static struct wl_result res;
static char err[200];

static void
begin(int ncpus, uint32_t block_size, uint64_t blocks)
{
    sim_test_begin(ncpus, 0);
    fake_port_init(&fp, 2, block_size, blocks);
    memset(&res, 0, sizeof res);
}

static void
teardown(void)
{
    if (sim_exists()) {
        fake_port_fini(&fp);
        sim_test_end();
    }
    physmem_reset();
}

/* Parse @text on top of the defaults and run it to completion. */
static void
run(const char *text)
{
    struct wl_spec spec;

    wl_spec_default(&spec);
    ck_assert_msg(wl_spec_parse(&spec, text, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(wl_run(&fp.pa, &spec, &res, err, sizeof err) == 0, "%s", err);
}

/* ---------- integrity ---------- */

START_TEST(clean_mixed_run_verifies_every_read)
{
    begin(4, 512, 1u << 20);
    fp.jitter = SIM_US(30);
    run("pattern=random bs=4k qd=8 count=3000 read=50 luns=0,1 cpus=0-3 size=256k");
    ck_assert_msg(res.ok, "%s", res.first_problem);
    ck_assert_uint_eq(res.issued, 3000);
    ck_assert_uint_eq(res.srbs, 3000);
    ck_assert_uint_eq(fp.nsrbs, 3000);
    ck_assert_uint_eq(res.read.requests + res.write.requests, 3000);
    ck_assert_uint_gt(res.read.requests, 1300);
    ck_assert_uint_gt(res.write.requests, 1300);
    /* 64 units per LUN: most reads find a completed write, some zeros */
    ck_assert_uint_gt(res.blocks_verified, 8000);
    ck_assert_uint_gt(res.blocks_zero, 0);
    ck_assert_uint_eq(res.blocks_verified + res.blocks_zero, res.read.requests * 8);
    ck_assert_uint_eq(res.blocks_corrupt + res.lost + res.duplicated, 0);
    ck_assert_uint_le(res.qd_max, 32);
    ck_assert_uint_eq(fp.pa.outstanding, 0);
}
END_TEST

START_TEST(never_written_blocks_read_as_zero)
{
    begin(1, 4096, 1u << 16);
    run("pattern=seq bs=8k qd=4 count=100 read=100");
    ck_assert(res.ok);
    ck_assert_uint_eq(res.blocks_zero, 200);
    ck_assert_uint_eq(res.blocks_verified, 0);
}
END_TEST

/* A write pass and a read pass that share one model. */
static void
write_then_read(const char *write_text, const char *read_text)
{
    struct wl_model *model;
    struct wl_spec spec;
    struct wl *wl;
    const char *texts[2] = { write_text, read_text };

    ck_assert_int_eq(wl_model_create(0, true, &model), 0);
    for (int i = 0; i < 2; i++) {
        wl_spec_default(&spec);
        ck_assert_msg(wl_spec_parse(&spec, texts[i], err, sizeof err) == 0, "%s", err);
        ck_assert_msg(wl_create(&fp.pa, &spec, &wl, err, sizeof err) == 0, "%s", err);
        ck_assert_int_eq(wl_use_model(wl, model), 0);
        ck_assert_int_eq(wl_start(wl), 0);
        wl_finish(wl, sim_run(NULL));
        wl_get_result(wl, &res);
        wl_destroy(wl);
    }
    wl_model_destroy(model);
}

START_TEST(corrupted_read_is_caught)
{
    begin(2, 512, 1u << 20);
    fp.corrupt_read_nth = 10;
    write_then_read("pattern=seq bs=4k qd=4 count=64 read=0 size=256k cpus=0-1",
                    "pattern=seq bs=4k qd=4 count=64 read=100 size=256k cpus=0-1");
    ck_assert(!res.ok);
    ck_assert_uint_eq(res.corrupted, 1);
    ck_assert_uint_eq(res.blocks_corrupt, 1);
    ck_assert_uint_eq(res.blocks_verified, 64 * 8 - 1);
    ck_assert_ptr_nonnull(strstr(res.first_problem, "checksum mismatch"));
}
END_TEST

/* A read that "succeeds" without moving data leaves the buffer as the
 * workload poisoned it: caught even where zeros were expected. */
START_TEST(read_without_data_is_caught)
{
    begin(1, 512, 1u << 20);
    fp.no_data_read_nth = 3;
    run("pattern=seq qd=1 count=10 read=100");
    ck_assert(!res.ok);
    ck_assert_uint_eq(res.corrupted, 1);
    ck_assert_uint_eq(res.blocks_corrupt, 8);
    ck_assert_uint_eq(res.blocks_zero, 72);
    ck_assert_ptr_nonnull(strstr(res.first_problem, "no stamp"));
}
END_TEST

START_TEST(dropped_srb_is_lost)
{
    begin(2, 512, 1u << 20);
    fp.drop_nth = 5;
    run("qd=4 count=50 read=50 cpus=0-1");
    ck_assert(!res.ok);
    ck_assert_uint_eq(res.lost, 1);
    ck_assert_uint_eq(res.unfinished, 0);
    ck_assert_uint_eq(res.read.requests + res.write.requests, 49);
    ck_assert_ptr_nonnull(strstr(res.first_problem, "SRB 5 "));
    ck_assert_ptr_nonnull(strstr(res.first_problem, "never completed"));
}
END_TEST

/* The port keeps the machine busy but never completes SRB 3: after
 * wl_stall_limit() (two timeouts and a reset hold) with no completion,
 * wl_run() calls it lost. */
START_TEST(busy_port_that_completes_nothing_loses_the_srb)
{
    begin(1, 512, 1u << 20);
    fp.tick = SIM_MS(10);
    fp.drop_nth = 3;
    run("qd=2 count=10 timeout=1");
    ck_assert_uint_eq(res.lost, 1);
    ck_assert_uint_eq(res.read.requests, 9);
    ck_assert_uint_ge(sim_now(), SIM_SEC(12));
    ck_assert_uint_lt(sim_now(), SIM_SEC(14));
}
END_TEST

START_TEST(run_stopped_early_counts_unfinished_not_lost)
{
    struct wl_spec spec;
    struct wl *wl;

    begin(1, 512, 1u << 20);
    fp.latency = SIM_MS(1);
    wl_spec_default(&spec);
    spec.qd = 4;
    ck_assert_int_eq(wl_create(&fp.pa, &spec, &wl, err, sizeof err), 0);
    ck_assert_int_eq(wl_start(wl), 0);
    struct sim_run_limits lim = { .until = SIM_US(500) };
    wl_finish(wl, sim_run(&lim));
    wl_get_result(wl, &res);
    ck_assert_uint_eq(res.unfinished, 4);
    ck_assert_uint_eq(res.lost, 0);
    /* the port still holds them: destroy the machine before the workload */
    fake_port_fini(&fp);
    sim_test_end();
    wl_destroy(wl);
}
END_TEST

START_TEST(double_completion_is_caught)
{
    begin(2, 512, 1u << 20);
    fp.dup_nth = 7;
    fp.dpc_cpu = 1;
    run("qd=2 count=40 read=70");
    ck_assert(!res.ok);
    ck_assert_uint_eq(res.duplicated, 1);
    ck_assert_uint_eq(res.read.requests + res.write.requests, 40);
    ck_assert_ptr_nonnull(strstr(res.first_problem, "completed twice"));
}
END_TEST

START_TEST(check_condition_is_counted_by_status_and_key)
{
    begin(1, 512, 1u << 20);
    fp.check_nth = 3;
    fp.check_key = SCSI_SENSE_MEDIUM_ERROR;
    fp.check_asc = SCSI_ADSENSE_UNRECOVERED_ERROR;
    run("qd=1 count=20 read=100");
    ck_assert(res.ok);                      /* an error is not corruption */
    ck_assert_uint_eq(res.srb_failed, 1);
    ck_assert_uint_eq(res.read.failed, 1);
    ck_assert_uint_eq(res.read.requests, 19);
    ck_assert_uint_eq(res.by_srb_status[SRB_STATUS_ERROR], 1);
    ck_assert_uint_eq(res.by_sense_key[SCSI_SENSE_MEDIUM_ERROR], 1);
}
END_TEST

START_TEST(refused_submit_is_counted)
{
    begin(1, 512, 1u << 20);
    fp.refuse_nth = 4;
    run("qd=2 count=10 read=0");
    ck_assert_uint_eq(res.submit_errors, 1);
    ck_assert_uint_eq(res.write.failed, 1);
    ck_assert_uint_eq(res.write.requests, 9);
    ck_assert_uint_eq(res.srbs, 9);
}
END_TEST

/* A write that failed may or may not have reached the disk: reading it
 * back is "plausible", never a corruption. */
START_TEST(failed_write_leaves_blocks_unknown)
{
    begin(1, 512, 1u << 20);
    fp.check_nth = 1;
    fp.check_key = SCSI_SENSE_HARDWARE_ERROR;
    write_then_read("pattern=seq count=1 read=0 size=4k",
                    "pattern=seq count=1 read=100 size=4k");
    ck_assert(res.ok);
    ck_assert_uint_eq(res.blocks_weak, 8);
    ck_assert_uint_eq(res.blocks_corrupt, 0);
}
END_TEST

/* Unstamped data on the disk: wrong on a fresh disk, acceptable if not. */
START_TEST(fresh_decides_what_unwritten_blocks_may_hold)
{
    struct wl_cmd_args a = { .kind = WL_CMD_WRITE, .lun = 0, .lba = 8, .blocks = 8 };
    struct wl_cmd *cmd;

    begin(1, 512, 1u << 20);
    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), 0);
    memset(wl_cmd_data(cmd, NULL), 0xA5, 4096);
    wl_cmd_post(cmd, 0);
    sim_run(NULL);
    wl_cmd_free(cmd);
    run("pattern=seq count=4 read=100 luns=0 size=16k fresh=no");
    ck_assert(res.ok);
    ck_assert_uint_eq(res.blocks_weak, 32);
    run("pattern=seq count=4 read=100 luns=0 size=16k");
    ck_assert(!res.ok);
    ck_assert_uint_eq(res.blocks_corrupt, 8);
    ck_assert_uint_eq(res.blocks_zero, 24);
}
END_TEST

/* Over its memory limit the model stops tracking: reads of untracked
 * blocks are plausible, never corrupt, and memory stays bounded. */
START_TEST(model_memory_is_bounded)
{
    begin(2, 512, 1u << 24);
    run("pattern=random bs=4k qd=8 count=4000 read=50 cpus=0-1 track=64k luns=0");
    ck_assert_msg(res.ok, "%s", res.first_problem);
    ck_assert_uint_gt(res.untracked_blocks, 0);
    ck_assert_uint_gt(res.blocks_weak, 0);
    ck_assert_uint_le(res.model_bytes, 64 << 10);
}
END_TEST

/* ---------- threads, statistics ---------- */

START_TEST(queue_depth_is_per_submitting_cpu)
{
    begin(2, 512, 1u << 20);
    fp.latency = SIM_US(200);
    run("qd=4 count=200 cpus=0-1");
    ck_assert_uint_eq(res.qd_max, 8);
    ck_assert_uint_eq(fp.pa.outstanding_max, 8);
    ck_assert(res.qd_mean > 7.0 && res.qd_mean <= 8.0);
}
END_TEST

/* Completions run on CPU 1; every request is still submitted by CPU 0's
 * thread, at PASSIVE_LEVEL. */
START_TEST(completion_posts_the_submitting_thread)
{
    begin(2, 512, 1u << 20);
    fp.dpc_cpu = 1;
    run("qd=3 count=60 cpus=0");
    ck_assert(res.ok);
    for (int i = 0; i < 60; i++) {
        ck_assert_int_eq(fp.recs[i].cpu, 0);
        ck_assert_uint_eq(fp.recs[i].irql, PASSIVE_LEVEL);
    }
    ck_assert_uint_gt(sim_cpu_get(1)->dpcs, 0);
    ck_assert_uint_eq(sim_cpu_get(0)->dpcs, 0);
    ck_assert_uint_gt(sim_cpu_get(0)->threads, 1);
}
END_TEST

START_TEST(sequential_pattern_walks_and_wraps)
{
    begin(1, 512, 1u << 20);
    run("pattern=seq bs=4k qd=2 count=20 luns=1 size=32k offset=1M");
    for (int i = 0; i < 20; i++)
        ck_assert_uint_eq(fp.recs[i].lba, 2048 + (uint64_t)(i % 8) * 8);
}
END_TEST

START_TEST(latency_and_throughput_in_simulated_time)
{
    sim_test_begin(1, 1);                   /* zero machine costs */
    fake_port_init(&fp, 2, 512, 1u << 20);
    fp.latency = SIM_US(50);
    run("qd=1 count=100 read=100 submit-cost=0");
    ck_assert_uint_eq(res.read.lat_min, SIM_US(50));
    ck_assert_uint_eq(res.read.p50, SIM_US(50));
    ck_assert_uint_eq(res.read.p999, SIM_US(50));
    ck_assert_uint_eq(res.read.lat_max, SIM_US(50));
    ck_assert_uint_eq(res.elapsed, SIM_MS(5));
    ck_assert(res.read.iops > 19999.0 && res.read.iops < 20001.0);
    ck_assert(res.read.mbps > 81.9 && res.read.mbps < 82.0);  /* 4096 B x 20000/s */
}
END_TEST

START_TEST(duration_stops_issuing)
{
    begin(1, 512, 1u << 20);
    run("qd=1 count=0 duration=1ms");
    ck_assert_uint_gt(res.issued, 30);
    ck_assert_uint_lt(res.issued, 60);
    ck_assert_uint_lt(res.elapsed, SIM_MS(1) + SIM_US(30));
    ck_assert(res.ok);
}
END_TEST

START_TEST(create_checks_the_definition_against_the_adapter)
{
    struct wl_spec spec;
    struct wl *wl;

    begin(4, 4096, 1u << 16);
    wl_spec_default(&spec);
    spec.luns = 1u << 5;
    ck_assert_int_lt(wl_create(&fp.pa, &spec, &wl, err, sizeof err), 0);
    ck_assert_str_eq(err, "luns: 5 does not exist (the adapter has LUNs 0..1)");
    spec.luns = 0;
    spec.cpus = 1u << 6;
    ck_assert_int_lt(wl_create(&fp.pa, &spec, &wl, err, sizeof err), 0);
    ck_assert_str_eq(err, "cpus: 6 does not exist (the machine has CPUs 0..3)");
    spec.cpus = 0;
    spec.bs = 1024;
    ck_assert_int_lt(wl_create(&fp.pa, &spec, &wl, err, sizeof err), 0);
    ck_assert_str_eq(err, "bs: 1024 is not a multiple of LUN 0's block size (4096)");
    spec.bs = 4096;
    spec.srb = WL_SRB_EX;
    fp.pa.uses_storage_request_block = false;
    ck_assert_int_lt(wl_create(&fp.pa, &spec, &wl, err, sizeof err), 0);
    ck_assert_str_eq(err, "srb: ex needs a miniport that takes STORAGE_REQUEST_BLOCKs; "
                     "fake0 takes SCSI_REQUEST_BLOCKs only");
    spec.srb = WL_SRB_SCSI;
    fp.pa.max_transfer = 2048;
    ck_assert_int_lt(wl_create(&fp.pa, &spec, &wl, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "MaximumTransferLength (2048)"));
}
END_TEST

START_TEST(summary_reads_like_fio)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    begin(2, 512, 1u << 20);
    fp.check_nth = 2;
    fp.check_key = SCSI_SENSE_NOT_READY;
    run("qd=2 count=100 read=50 cpus=0-1 seed=4");
    f = open_memstream(&text, &len);
    wl_print_result(&res, NULL, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "100 requests in 100 SRBs"));
    ck_assert_ptr_nonnull(strstr(text, "  read : "));
    ck_assert_ptr_nonnull(strstr(text, "  write: "));
    ck_assert_ptr_nonnull(strstr(text, "p99.9 "));
    ck_assert_ptr_nonnull(strstr(text, "IOPS"));
    ck_assert_ptr_nonnull(strstr(text, "-> OK"));
    ck_assert_ptr_nonnull(strstr(text, "SRB_STATUS_ERROR x1, sense NOT READY x1"));
    free(text);
}
END_TEST

START_TEST(a_model_serves_one_workload_at_a_time)
{
    struct wl_model *model;
    struct wl_spec spec;
    struct wl *a, *b;

    begin(1, 512, 1u << 20);
    wl_spec_default(&spec);
    ck_assert_int_eq(wl_model_create(0, true, &model), 0);
    ck_assert_int_eq(wl_create(&fp.pa, &spec, &a, err, sizeof err), 0);
    ck_assert_int_eq(wl_create(&fp.pa, &spec, &b, err, sizeof err), 0);
    ck_assert_int_eq(wl_use_model(a, model), 0);
    ck_assert_int_eq(wl_use_model(b, model), 0);
    ck_assert_int_eq(wl_start(a), 0);
    ck_assert_int_eq(wl_start(b), -EBUSY);
    ck_assert_int_eq(wl_start(a), -EALREADY);
    wl_finish(a, sim_run(NULL));
    ck_assert(wl_done(a));
    wl_destroy(a);
    ck_assert_int_eq(wl_start(b), 0);
    wl_finish(b, sim_run(NULL));
    wl_get_result(b, &res);
    ck_assert_uint_eq(res.issued, 1000);
    wl_destroy(b);
    wl_model_destroy(model);
}
END_TEST

/* ---------- determinism ---------- */

static uint64_t
hash_of_run(uint64_t seed)
{
    char text[160];
    uint64_t h;

    begin(4, 512, 1u << 20);
    fp.jitter = SIM_US(40);
    fp.write_extra = SIM_US(15);     /* so the read/write mix shows in the timing */
    snprintf(text, sizeof text, "qd=4 count=400 read=60 cpus=0-3 seed=%llu size=512k",
             (unsigned long long)seed);
    run(text);
    ck_assert(res.ok);
    h = sim_trace_hash();
    fake_port_fini(&fp);
    sim_test_end();
    physmem_reset();
    return h;
}

START_TEST(same_seed_same_trace)
{
    uint64_t a = hash_of_run(5), b = hash_of_run(5), c = hash_of_run(6);

    ck_assert_uint_eq(a, b);
    ck_assert_uint_ne(a, c);
}
END_TEST

Suite *
workload_suite(void)
{
    Suite *s = suite_create("workload");
    TCase *integrity = tcase_create("integrity");
    TCase *engine = tcase_create("engine");
    TCase *determinism = tcase_create("determinism");

    tcase_add_checked_fixture(integrity, NULL, teardown);
    tcase_add_test(integrity, clean_mixed_run_verifies_every_read);
    tcase_add_test(integrity, never_written_blocks_read_as_zero);
    tcase_add_test(integrity, corrupted_read_is_caught);
    tcase_add_test(integrity, read_without_data_is_caught);
    tcase_add_test(integrity, dropped_srb_is_lost);
    tcase_add_test(integrity, busy_port_that_completes_nothing_loses_the_srb);
    tcase_add_test(integrity, run_stopped_early_counts_unfinished_not_lost);
    tcase_add_test(integrity, double_completion_is_caught);
    tcase_add_test(integrity, check_condition_is_counted_by_status_and_key);
    tcase_add_test(integrity, refused_submit_is_counted);
    tcase_add_test(integrity, failed_write_leaves_blocks_unknown);
    tcase_add_test(integrity, fresh_decides_what_unwritten_blocks_may_hold);
    tcase_add_test(integrity, model_memory_is_bounded);
    suite_add_tcase(s, integrity);

    tcase_add_checked_fixture(engine, NULL, teardown);
    tcase_add_test(engine, queue_depth_is_per_submitting_cpu);
    tcase_add_test(engine, completion_posts_the_submitting_thread);
    tcase_add_test(engine, sequential_pattern_walks_and_wraps);
    tcase_add_test(engine, latency_and_throughput_in_simulated_time);
    tcase_add_test(engine, duration_stops_issuing);
    tcase_add_test(engine, create_checks_the_definition_against_the_adapter);
    tcase_add_test(engine, summary_reads_like_fio);
    tcase_add_test(engine, a_model_serves_one_workload_at_a_time);
    suite_add_tcase(s, engine);

    tcase_add_checked_fixture(determinism, NULL, teardown);
    tcase_add_test(determinism, same_seed_same_trace);
    suite_add_tcase(s, determinism);
    return s;
}
