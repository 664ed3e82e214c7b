/* test_hba_fault.c: SIMHBA fault injection: every rule kind through the
 * adapter, the every/count/LBA/LUN conditions, and the text form of rules
 * with its error messages. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"
#include "tests/hba_tdrv.h"

static struct td td;
static uint8_t *sense[16];

/* ---------- helpers ---------- */

static void
add_rule(const char *text)
{
    struct hba_fault_rule r;
    char err[200];

    ck_assert_msg(hba_fault_parse(text, &r, err, sizeof err) == 0, "%s", err);
    ck_assert_int_ge(hba_fault_add(td.hba, &r), 0);
}

static void
begin(int nluns, bool write_cache)
{
    struct hba_config cfg;

    td_config(&cfg, nluns);
    cfg.luns[0].disk.write_cache = write_cache;
    td_begin(&td, &cfg, true);
    for (int i = 0; i < 16; i++)
        sense[i] = physmem_alloc(64, false);
}

/* Post a command and, unless `nowait`, wait for its completion. */
static void
cmd(struct td *t, uint32_t tag, uint8_t op, uint8_t lun, uint32_t lba,
    bool nowait)
{
    struct simhba_req_desc d;
    size_t want = t->ndone + 1;

    td_rw(&d, tag, op, lba, 1);
    td_data(&d, op == SCSI_OP_WRITE_10 ? SIMHBA_DIR_OUT : SIMHBA_DIR_IN,
            physmem_alloc(512, false), 512);
    d.lun = lun;
    td_sense(&d, sense[tag % 16], 64);
    td_post(t, &d);
    td_doorbell(t);
    if (!nowait)
        td_wait(t, want);
}

static void
check_sense(uint32_t tag, uint8_t key, uint8_t asc, uint8_t ascq)
{
    const struct simhba_cmpl_desc *c = td_find(&td, tag, NULL);

    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->scsi_status, SCSI_STATUS_CHECK_CONDITION);
    ck_assert(c->flags & SIMHBA_CMPL_F_SENSE);
    ck_assert_uint_eq(sense[tag % 16][2] & 0x0F, key);
    ck_assert_uint_eq(sense[tag % 16][12], asc);
    ck_assert_uint_eq(sense[tag % 16][13], ascq);
}

static uint8_t
scsi_of(uint32_t tag)
{
    const struct simhba_cmpl_desc *c = td_find(&td, tag, NULL);

    ck_assert_ptr_nonnull(c);
    return c->scsi_status;
}

/* ---------- disk-level kinds ---------- */

static void
medium_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    for (uint32_t i = 1; i <= 6; i++)
        cmd(t, i, SCSI_OP_READ_10, 0, 150, false);
    cmd(t, 7, SCSI_OP_READ_10, 0, 300, false);   /* outside the range */
}

/* every=2 count=2 over LBAs 100-199: the 2nd and 4th matching reads fail,
 * then the rule is gone. */
START_TEST(test_medium_error_every_count_lba)
{
    struct hba_stats st;
    struct hba_lun_stats ls;

    begin(1, false);
    add_rule("medium-error lun=0 lba=100-199 every=2 count=2");
    td_start(&td, medium_script);
    td_run(&td);
    check_sense(2, SCSI_KEY_MEDIUM_ERROR, 0x11, 0x00);
    ck_assert_uint_eq(sense[2][0] & 0x80, 0x80);    /* VALID: INFORMATION */
    ck_assert_uint_eq(sense[2][6], 150);            /* = the bad LBA */
    check_sense(4, SCSI_KEY_MEDIUM_ERROR, 0x11, 0x00);
    ck_assert_uint_eq(scsi_of(1), SCSI_STATUS_GOOD);
    ck_assert_uint_eq(scsi_of(3), SCSI_STATUS_GOOD);
    ck_assert_uint_eq(scsi_of(6), SCSI_STATUS_GOOD);
    ck_assert_uint_eq(scsi_of(7), SCSI_STATUS_GOOD);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.faults_injected, 2);
    ck_assert_uint_eq(st.errors, 2);
    hba_get_lun_stats(td.hba, 0, 0, &ls);
    ck_assert_uint_eq(ls.faults_injected, 2);
    td_end(&td);
}
END_TEST

static void
status_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    cmd(t, 1, SCSI_OP_READ_10, 0, 0, false);        /* op does not match */
    cmd(t, 2, SCSI_OP_WRITE_10, 0, 0, false);
    cmd(t, 3, SCSI_OP_WRITE_10, 0, 0, false);
    cmd(t, 4, SCSI_OP_READ_10, 1, 0, false);        /* busy: LUN 1 */
    cmd(t, 5, SCSI_OP_READ_10, 1, 0, false);
}

START_TEST(test_status_busy_task_set_full)
{
    begin(2, false);
    add_rule("status op=write10 count=1 status=check-condition "
             "key=hardware-error asc=44/00");
    add_rule("busy lun=1 count=1");
    td_start(&td, status_script);
    td_run(&td);
    ck_assert_uint_eq(scsi_of(1), SCSI_STATUS_GOOD);
    check_sense(2, SCSI_KEY_HARDWARE_ERROR, 0x44, 0x00);
    ck_assert_uint_eq(td_find(&td, 2, NULL)->status, SIMHBA_CS_ERROR);
    ck_assert_uint_eq(scsi_of(3), SCSI_STATUS_GOOD);
    ck_assert_uint_eq(scsi_of(4), SCSI_STATUS_BUSY);
    ck_assert_uint_eq(scsi_of(5), SCSI_STATUS_GOOD);
    td_end(&td);
}
END_TEST

static void
tsf_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    cmd(t, 1, SCSI_OP_READ_10, 0, 0, false);
    cmd(t, 2, SCSI_OP_READ_10, 0, 0, false);
    cmd(t, 3, SCSI_OP_READ_10, 0, 0, false);
}

START_TEST(test_task_set_full)
{
    begin(1, false);
    add_rule("task-set-full every=2");
    td_start(&td, tsf_script);
    td_run(&td);
    ck_assert_uint_eq(scsi_of(1), SCSI_STATUS_GOOD);
    ck_assert_uint_eq(scsi_of(2), SCSI_STATUS_TASK_SET_FULL);
    ck_assert_uint_eq(scsi_of(3), SCSI_STATUS_GOOD);
    td_end(&td);
}
END_TEST

/* A unit attention wins over an injected fault, which then waits for the
 * next command it matches (as on a real target). */
static void
ua_first_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    hba_power_loss(t->hba, 0, 0);
    cmd(t, 1, SCSI_OP_READ_10, 0, 0, false);
    cmd(t, 2, SCSI_OP_READ_10, 0, 0, false);
}

START_TEST(test_unit_attention_before_fault)
{
    struct hba_stats st;

    begin(1, false);
    add_rule("busy count=1");
    td_start(&td, ua_first_script);
    td_run(&td);
    check_sense(1, SCSI_KEY_UNIT_ATTENTION, 0x29, 0x01);
    ck_assert_uint_eq(scsi_of(2), SCSI_STATUS_BUSY);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.faults_injected, 1);
    td_end(&td);
}
END_TEST

/* ---------- adapter-level kinds ---------- */

static sim_time_t t_mark;
static uint32_t reg_seen;
static size_t ndone_seen;

static void
drop_cmd_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    cmd(t, 1, SCSI_OP_READ_10, 0, 0, true);     /* swallowed */
    cmd(t, 2, SCSI_OP_READ_10, 0, 0, false);
    sim_work(SIM_MS(1), SIM_HERE);
    ndone_seen = t->ndone;
    t_mark = sim_now();
    td_wr(t, SIMHBA_REG_BUS_RESET, SIMHBA_RESET_KEY);  /* the recovery */
    td_wait(t, 2);
}

START_TEST(test_drop_command_until_reset)
{
    struct hba_stats st;
    sim_time_t at;

    begin(1, false);
    add_rule("drop-command count=1");
    td_start(&td, drop_cmd_script);
    td_run(&td);
    ck_assert_uint_eq(ndone_seen, 1);
    ck_assert_uint_eq(td.done[0].tag, 2);
    ck_assert_uint_eq(td_find(&td, 1, &at)->status, SIMHBA_CS_BUS_RESET);
    ck_assert_uint_ge(at, t_mark + SIM_US(50));
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.dropped_commands, 1);
    ck_assert_uint_eq(st.reset_completions, 1);
    td_end(&td);
}
END_TEST

static void
drop_irq_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    cmd(t, 1, SCSI_OP_READ_10, 0, 0, true);
    sim_work(SIM_US(50), SIM_HERE);
    reg_seen = td_rd(t, SIMHBA_REG_CMPL_PROD);  /* it is in the ring */
    ndone_seen = t->isr_runs;
    cmd(t, 2, SCSI_OP_READ_10, 0, 0, true);
    td_wait(t, 2);
}

START_TEST(test_drop_interrupt)
{
    struct hba_stats st;

    begin(1, false);
    add_rule("drop-interrupt count=1");
    td_start(&td, drop_irq_script);
    td_run(&td);
    ck_assert_uint_eq(reg_seen, 1);
    ck_assert_uint_eq(ndone_seen, 0);           /* but no interrupt */
    ck_assert_uint_eq(td.isr_runs, 1);          /* the next one finds both */
    ck_assert_uint_eq(td.done_at[0], td.done_at[1]);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.dropped_interrupts, 1);
    td_end(&td);
}
END_TEST

static void
delay_irq_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    t_mark = sim_now();
    cmd(t, 1, SCSI_OP_READ_10, 0, 0, false);
}

START_TEST(test_delay_interrupt)
{
    struct hba_stats st;

    begin(1, false);
    add_rule("delay-interrupt delay=100us");
    td_start(&td, delay_irq_script);
    td_run(&td);
    /* td_post's doorbell write is the first thing after t_mark. */
    ck_assert_uint_eq(td.isr_at[0], t_mark + 1000 + SIM_US(10) + SIM_US(100));
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.delayed_interrupts, 1);
    td_end(&td);
}
END_TEST

static void
bus_reset_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL | SIMHBA_INTR_RESET_DONE |
                        SIMHBA_INTR_BUS_RESET);
    for (uint32_t i = 1; i <= 3; i++)
        cmd(t, i, SCSI_OP_READ_10, 0, i, true);
    sim_work(SIM_US(10), SIM_HERE);
    cmd(t, 4, SCSI_OP_WRITE_10, 0, 0, true);    /* the trigger */
    td_wait(t, 4);
    cmd(t, 5, SCSI_OP_READ_10, 0, 0, false);
    cmd(t, 6, SCSI_OP_READ_10, 0, 0, false);
}

START_TEST(test_bus_reset_fault)
{
    struct hba_stats st;

    begin(1, false);
    add_rule("bus-reset op=write10 count=1");
    td_start(&td, bus_reset_script);
    td_run(&td);
    for (uint32_t i = 1; i <= 4; i++)
        ck_assert_uint_eq(td_find(&td, i, NULL)->status, SIMHBA_CS_BUS_RESET);
    ck_assert(td.status_seen & SIMHBA_INTR_BUS_RESET);   /* not ours */
    ck_assert(td.status_seen & SIMHBA_INTR_RESET_DONE);
    check_sense(5, SCSI_KEY_UNIT_ATTENTION, 0x29, 0x02);
    ck_assert_uint_eq(scsi_of(6), SCSI_STATUS_GOOD);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.bus_resets, 1);
    ck_assert_uint_eq(st.faults_injected, 1);
    td_end(&td);
}
END_TEST

static bool lun1_present_mid;

static void
lun_remove_script(struct td *t)
{
    struct hba_lun_stats ls;

    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL | SIMHBA_INTR_LUN_CHANGE);
    cmd(t, 1, SCSI_OP_READ_10, 1, 0, false);    /* removes LUN 1 */
    cmd(t, 2, SCSI_OP_READ_10, 0, 0, false);
    cmd(t, 3, SCSI_OP_READ_10, 1, 0, false);
    hba_get_lun_stats(t->hba, 0, 1, &ls);
    lun1_present_mid = ls.present;
    sim_work(SIM_MS(1), SIM_HERE);              /* it comes back */
    cmd(t, 4, SCSI_OP_READ_10, 1, 0, false);
}

START_TEST(test_lun_remove_and_return)
{
    struct hba_lun_stats ls;

    begin(2, false);
    add_rule("lun-remove lun=1 count=1 delay=1ms");
    td_start(&td, lun_remove_script);
    td_run(&td);
    ck_assert_uint_eq(td_find(&td, 1, NULL)->status, SIMHBA_CS_INVALID_LUN);
    ck_assert_uint_eq(td_find(&td, 3, NULL)->status, SIMHBA_CS_INVALID_LUN);
    ck_assert(!lun1_present_mid);
    ck_assert(td.status_seen & SIMHBA_INTR_LUN_CHANGE);
    check_sense(2, SCSI_KEY_UNIT_ATTENTION, 0x3F, 0x0E);  /* LUNs changed */
    ck_assert_uint_eq(td_find(&td, 4, NULL)->status, SIMHBA_CS_ERROR);
    ck_assert_uint_eq(sense[4][2] & 0x0F, SCSI_KEY_UNIT_ATTENTION);
    hba_get_lun_stats(td.hba, 0, 1, &ls);
    ck_assert(ls.present);
    td_end(&td);
}
END_TEST

static void
lun_arrive_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    cmd(t, 1, SCSI_OP_READ_10, 1, 0, false);
}

START_TEST(test_lun_arrive)
{
    begin(2, false);
    ck_assert_int_eq(hba_lun_remove(td.hba, 0, 1), 0);
    ck_assert_int_eq(hba_lun_remove(td.hba, 0, 1), -EALREADY);
    ck_assert_int_eq(hba_lun_remove(td.hba, 0, 5), -ENOENT);
    add_rule("lun-arrive lun=1 count=1");
    td_start(&td, lun_arrive_script);
    td_run(&td);
    /* There again, with its unit attention, instead of INVALID_LUN. */
    ck_assert_uint_eq(td_find(&td, 1, NULL)->status, SIMHBA_CS_ERROR);
    ck_assert_uint_eq(sense[1][2] & 0x0F, SCSI_KEY_UNIT_ATTENTION);
    td_end(&td);
}
END_TEST

static void
power_loss_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    cmd(t, 1, SCSI_OP_WRITE_10, 0, 0, false);   /* into the cache */
    cmd(t, 2, SCSI_OP_READ_10, 0, 0, false);    /* power goes first */
}

START_TEST(test_power_loss_fault)
{
    struct scsi_disk_stats ds;

    begin(1, true);
    add_rule("power-loss op=read10 count=1");
    td_start(&td, power_loss_script);
    td_run(&td);
    ck_assert_uint_eq(scsi_of(1), SCSI_STATUS_GOOD);
    check_sense(2, SCSI_KEY_UNIT_ATTENTION, 0x29, 0x01);
    scsi_disk_get_stats(hba_lun_disk(td.hba, 0, 0), &ds);
    ck_assert_uint_eq(ds.lost_bytes, 512);
    td_end(&td);
}
END_TEST

/* ---------- the text form ---------- */

START_TEST(test_parse_and_format)
{
    struct hba_fault_rule r;
    char err[200], out[200];

    ck_assert_int_eq(hba_fault_parse("medium-error lun=0 lba=1000-2000 every=3 "
                                     "count=5", &r, err, sizeof err), 0);
    ck_assert_int_eq(r.kind, HBA_FAULT_MEDIUM_ERROR);
    ck_assert_int_eq(r.lun, 0);
    ck_assert_int_eq(r.target, HBA_ANY);
    ck_assert_uint_eq(r.lba_first, 1000);
    ck_assert_uint_eq(r.lba_count, 1001);
    ck_assert_uint_eq(r.every, 3);
    ck_assert_uint_eq(r.count, 5);
    hba_fault_format(&r, out, sizeof out);
    ck_assert_str_eq(out, "medium-error lun=0 lba=1000-2000 every=3 count=5");
    ck_assert_int_eq(hba_fault_parse("status status=check-condition "
                                     "key=Medium-Error asc=11/00 op=READ(10)",
                                     &r, err, sizeof err), 0);
    ck_assert_uint_eq(r.status, SCSI_STATUS_CHECK_CONDITION);
    ck_assert_uint_eq(r.sense_key, SCSI_KEY_MEDIUM_ERROR);
    ck_assert_uint_eq(r.asc_ascq, 0x1100);
    ck_assert_int_eq(r.opcode, SCSI_OP_READ_10);
    hba_fault_format(&r, out, sizeof out);
    ck_assert_str_eq(out, "status op=0x28 status=0x02 key=0x3 asc=11/00");
    ck_assert_int_eq(hba_fault_parse(out, &r, err, sizeof err), 0);
    ck_assert_int_eq(hba_fault_parse("delay-interrupt delay=50us target=2",
                                     &r, err, sizeof err), 0);
    ck_assert_uint_eq(r.delay, 50000);
    ck_assert_int_eq(r.target, 2);
    ck_assert_int_eq(hba_fault_parse("busy op=0x2a", &r, err, sizeof err), 0);
    ck_assert_int_eq(r.opcode, 0x2A);
}
END_TEST

static void
parse_fails(const char *text, const char *part1, const char *part2)
{
    struct hba_fault_rule r;
    char err[300];

    ck_assert_int_eq(hba_fault_parse(text, &r, err, sizeof err), -EINVAL);
    ck_assert_msg(strstr(err, part1) != NULL, "'%s' -> '%s'", text, err);
    ck_assert_msg(strstr(err, part2) != NULL, "'%s' -> '%s'", text, err);
}

START_TEST(test_parse_errors_name_the_token)
{
    parse_fails("", "empty", "medium-error");
    parse_fails("explode lun=0", "token 1 (\"explode\")", "unknown fault kind");
    parse_fails("medium-error lba=10x", "token 2 (\"lba=10x\")", "FIRST-LAST");
    parse_fails("busy lba=20-10", "token 2", "before it starts");
    parse_fails("busy lun=9", "token 2 (\"lun=9\")", "0 to 7");
    parse_fails("busy op=frobnicate", "token 2 (\"op=frobnicate\")", "read10");
    parse_fails("busy status=busy", "token 2", "does not apply to busy");
    parse_fails("busy every", "token 2 (\"every\")", "KEY=VALUE");
    parse_fails("busy colour=red", "token 2", "unknown key 'colour'");
    parse_fails("status key=3", "status rule needs status=", "status=busy");
    parse_fails("delay-interrupt count=1", "needs delay=", "100us");
    parse_fails("delay-interrupt delay=soon", "token 2", "50us");
    parse_fails("status status=busy asc=1/2/3", "token 3", "ASC/ASCQ");
}
END_TEST

START_TEST(test_rule_table)
{
    struct hba_fault_rule r;
    int id = -1;

    begin(1, false);
    hba_fault_rule_init(&r, HBA_FAULT_DELAY_INTERRUPT);
    ck_assert_int_eq(hba_fault_add(td.hba, &r), -EINVAL);  /* no delay */
    hba_fault_rule_init(&r, HBA_FAULT_BUSY);
    r.lun = 8;
    ck_assert_int_eq(hba_fault_add(td.hba, &r), -EINVAL);
    r.lun = HBA_ANY;
    for (int i = 0; i < HBA_MAX_FAULTS; i++)
        ck_assert_int_eq(id = hba_fault_add(td.hba, &r), i);
    ck_assert_int_eq(hba_fault_add(td.hba, &r), -ENOSPC);
    ck_assert_int_eq(hba_fault_remove(td.hba, id), 0);
    ck_assert_int_eq(hba_fault_remove(td.hba, id), -ENOENT);
    hba_fault_clear(td.hba);
    ck_assert_int_eq(hba_fault_add(td.hba, &r), 0);
    ck_assert_str_eq(hba_fault_kind_name(HBA_FAULT_LUN_ARRIVE), "lun-arrive");
    td_end(&td);
}
END_TEST

Suite *
hba_fault_suite(void)
{
    Suite *s = suite_create("hba_fault");
    TCase *tc = tcase_create("disk-level");

    tcase_add_test(tc, test_medium_error_every_count_lba);
    tcase_add_test(tc, test_status_busy_task_set_full);
    tcase_add_test(tc, test_task_set_full);
    tcase_add_test(tc, test_unit_attention_before_fault);
    suite_add_tcase(s, tc);
    tc = tcase_create("adapter-level");
    tcase_add_test(tc, test_drop_command_until_reset);
    tcase_add_test(tc, test_drop_interrupt);
    tcase_add_test(tc, test_delay_interrupt);
    tcase_add_test(tc, test_bus_reset_fault);
    tcase_add_test(tc, test_lun_remove_and_return);
    tcase_add_test(tc, test_lun_arrive);
    tcase_add_test(tc, test_power_loss_fault);
    suite_add_tcase(s, tc);
    tc = tcase_create("rules");
    tcase_add_test(tc, test_parse_and_format);
    tcase_add_test(tc, test_parse_errors_name_the_token);
    tcase_add_test(tc, test_rule_table);
    suite_add_tcase(s, tc);
    return s;
}
