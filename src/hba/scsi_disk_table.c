/* scsi_disk_table.c - the command table: one row per implemented opcode. */
/*
 * Interface: scsi_disk_table_lookup() gives the dispatcher the row of an
 * opcode; scsi_disk_command_info() and scsi_disk_opcode_name() expose it.
 *
 * Each row says how long the CDB is, which bits of each CDB byte may be
 * set (the mask: a set bit outside it is INVALID FIELD IN CDB, pointing at
 * that byte and bit), which direction the data moves, where a media
 * command keeps its LBA and length, and which handler runs it. The masks
 * follow the CDB layouts of SPC-4 and SBC-3: reserved and obsolete bits
 * are 0; so are features this disk does not have (protection information
 * RDPROTECT/WRPROTECT, descriptor sense DESC, CmdDt, BYTCHK, and the NACA
 * and LINK bits of the CONTROL byte), because SPC-4 says a device that
 * does not support a field that is set shall reject the command.
 *
 * The cont[] bytes mark bits that continue a multi-bit field to their
 * left, so the sense BIT POINTER names the field's left-most bit as SPC-4
 * asks (e.g. RDPROTECT = 001b points at bit 7, not bit 5).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hba/scsi_disk_int.h"

/* The CONTROL byte: VENDOR SPECIFIC is bits 7-6, one field. */
#define CTRL_CONT 0x40
/* Byte 1 of READ/WRITE/VERIFY(10/16): RDPROTECT is bits 7-5, one field. */
#define PROT_CONT 0x60

static const struct scsi_disk_cmd_entry table[256] = {
    [SCSI_OP_TEST_UNIT_READY] = {
        .info = { SCSI_OP_TEST_UNIT_READY, 6, SCSI_DISK_DIR_NONE, "TEST UNIT READY",
                  { 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00 } },
        .cont = { [5] = CTRL_CONT },
        .handler = scsi_disk_cmd_tur, .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_REQUEST_SENSE] = {
        /* byte 1 bit 0 is DESC: only fixed-format sense is supported */
        .info = { SCSI_OP_REQUEST_SENSE, 6, SCSI_DISK_DIR_IN, "REQUEST SENSE",
                  { 0xFF, 0x00, 0x00, 0x00, 0xFF, 0x00 } },
        .cont = { [5] = CTRL_CONT },
        .handler = scsi_disk_cmd_request_sense, .flags = ENTRY_UA_EXEMPT,
        .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_READ_6] = {
        .info = { SCSI_OP_READ_6, 6, SCSI_DISK_DIR_IN, "READ(6)",
                  { 0xFF, 0x1F, 0xFF, 0xFF, 0xFF, 0x00 } },
        .cont = { [1] = PROT_CONT, [5] = CTRL_CONT },
        .handler = scsi_disk_cmd_read, .layout = LAYOUT_6, .cls = SCSI_DISK_CLASS_READ },
    [SCSI_OP_WRITE_6] = {
        .info = { SCSI_OP_WRITE_6, 6, SCSI_DISK_DIR_OUT, "WRITE(6)",
                  { 0xFF, 0x1F, 0xFF, 0xFF, 0xFF, 0x00 } },
        .cont = { [1] = PROT_CONT, [5] = CTRL_CONT },
        .handler = scsi_disk_cmd_write, .layout = LAYOUT_6, .cls = SCSI_DISK_CLASS_WRITE },
    [SCSI_OP_INQUIRY] = {
        /* byte 1: EVPD (bit 0) allowed, CmdDt (bit 1, obsolete) not */
        .info = { SCSI_OP_INQUIRY, 6, SCSI_DISK_DIR_IN, "INQUIRY",
                  { 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x00 } },
        .cont = { [5] = CTRL_CONT },
        .handler = scsi_disk_cmd_inquiry, .flags = ENTRY_UA_EXEMPT,
        .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_MODE_SENSE_6] = {
        /* byte 1: DBD; byte 2: PC + PAGE CODE; byte 3: SUBPAGE CODE */
        .info = { SCSI_OP_MODE_SENSE_6, 6, SCSI_DISK_DIR_IN, "MODE SENSE(6)",
                  { 0xFF, 0x08, 0xFF, 0xFF, 0xFF, 0x00 } },
        .cont = { [5] = CTRL_CONT },
        .handler = scsi_disk_cmd_mode_sense6, .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_READ_CAPACITY_10] = {
        /* byte 1 bit 0 RELADR is obsolete; byte 8 bit 0 is PMI */
        .info = { SCSI_OP_READ_CAPACITY_10, 10, SCSI_DISK_DIR_IN, "READ CAPACITY(10)",
                  { 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00 } },
        .cont = { [9] = CTRL_CONT },
        .handler = scsi_disk_cmd_read_capacity10, .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_READ_10] = {
        /* byte 1: DPO (bit 4) and FUA (bit 3); byte 6: GROUP NUMBER */
        .info = { SCSI_OP_READ_10, 10, SCSI_DISK_DIR_IN, "READ(10)",
                  { 0xFF, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00 } },
        .cont = { [1] = PROT_CONT, [9] = CTRL_CONT },
        .handler = scsi_disk_cmd_read, .layout = LAYOUT_10, .cls = SCSI_DISK_CLASS_READ },
    [SCSI_OP_WRITE_10] = {
        .info = { SCSI_OP_WRITE_10, 10, SCSI_DISK_DIR_OUT, "WRITE(10)",
                  { 0xFF, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00 } },
        .cont = { [1] = PROT_CONT, [9] = CTRL_CONT },
        .handler = scsi_disk_cmd_write, .layout = LAYOUT_10, .cls = SCSI_DISK_CLASS_WRITE },
    [SCSI_OP_VERIFY_10] = {
        /* byte 1: DPO only; BYTCHK (bit 1) would need a data-out compare */
        .info = { SCSI_OP_VERIFY_10, 10, SCSI_DISK_DIR_NONE, "VERIFY(10)",
                  { 0xFF, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00 } },
        .cont = { [1] = PROT_CONT, [9] = CTRL_CONT },
        .handler = scsi_disk_cmd_verify, .layout = LAYOUT_10, .cls = SCSI_DISK_CLASS_VERIFY },
    [SCSI_OP_SYNCHRONIZE_CACHE_10] = {
        /* byte 1: IMMED (bit 1), SYNC_NV (bit 2); NUMBER OF BLOCKS 0 = to the end */
        .info = { SCSI_OP_SYNCHRONIZE_CACHE_10, 10, SCSI_DISK_DIR_NONE,
                  "SYNCHRONIZE CACHE(10)",
                  { 0xFF, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00 } },
        .cont = { [9] = CTRL_CONT },
        .handler = scsi_disk_cmd_sync_cache, .layout = LAYOUT_10, .flags = ENTRY_LEN0_ALL,
        .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_MODE_SENSE_10] = {
        /* byte 1: LLBAA (bit 4), DBD (bit 3) */
        .info = { SCSI_OP_MODE_SENSE_10, 10, SCSI_DISK_DIR_IN, "MODE SENSE(10)",
                  { 0xFF, 0x18, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00 } },
        .cont = { [9] = CTRL_CONT },
        .handler = scsi_disk_cmd_mode_sense10, .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_READ_16] = {
        .info = { SCSI_OP_READ_16, 16, SCSI_DISK_DIR_IN, "READ(16)",
                  { 0xFF, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00 } },
        .cont = { [1] = PROT_CONT, [15] = CTRL_CONT },
        .handler = scsi_disk_cmd_read, .layout = LAYOUT_16, .cls = SCSI_DISK_CLASS_READ },
    [SCSI_OP_WRITE_16] = {
        .info = { SCSI_OP_WRITE_16, 16, SCSI_DISK_DIR_OUT, "WRITE(16)",
                  { 0xFF, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00 } },
        .cont = { [1] = PROT_CONT, [15] = CTRL_CONT },
        .handler = scsi_disk_cmd_write, .layout = LAYOUT_16, .cls = SCSI_DISK_CLASS_WRITE },
    [SCSI_OP_SERVICE_ACTION_IN_16] = {
        /* byte 1: SERVICE ACTION; only READ CAPACITY(16) is served; byte 14: PMI */
        .info = { SCSI_OP_SERVICE_ACTION_IN_16, 16, SCSI_DISK_DIR_IN,
                  "SERVICE ACTION IN(16)",
                  { 0xFF, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00 } },
        .cont = { [1] = 0x0F, [15] = CTRL_CONT },
        .handler = scsi_disk_cmd_service_action_in, .cls = SCSI_DISK_CLASS_OTHER },
    [SCSI_OP_REPORT_LUNS] = {
        /* byte 2: SELECT REPORT; bytes 6-9: ALLOCATION LENGTH */
        .info = { SCSI_OP_REPORT_LUNS, 12, SCSI_DISK_DIR_IN, "REPORT LUNS",
                  { 0xFF, 0x00, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
                    0x00, 0x00 } },
        .cont = { [11] = CTRL_CONT },
        .handler = scsi_disk_cmd_report_luns, .flags = ENTRY_UA_EXEMPT,
        .cls = SCSI_DISK_CLASS_OTHER },
};

const struct scsi_disk_cmd_entry *
scsi_disk_table_lookup(uint8_t opcode)
{
    return table[opcode].handler ? &table[opcode] : NULL;
}

const struct scsi_disk_cmd_info *
scsi_disk_command_info(uint8_t opcode)
{
    const struct scsi_disk_cmd_entry *e = scsi_disk_table_lookup(opcode);

    return e ? &e->info : NULL;
}

/* Common opcodes the disk does not implement, so traces can still name them. */
static const char *const other_names[256] = {
    [0x01] = "REZERO UNIT",
    [0x04] = "FORMAT UNIT",
    [0x07] = "REASSIGN BLOCKS",
    [0x0B] = "SEEK(6)",
    [0x15] = "MODE SELECT(6)",
    [0x16] = "RESERVE(6)",
    [0x17] = "RELEASE(6)",
    [0x1B] = "START STOP UNIT",
    [0x1C] = "RECEIVE DIAGNOSTIC RESULTS",
    [0x1D] = "SEND DIAGNOSTIC",
    [0x1E] = "PREVENT ALLOW MEDIUM REMOVAL",
    [0x2B] = "SEEK(10)",
    [0x2E] = "WRITE AND VERIFY(10)",
    [0x34] = "PRE-FETCH(10)",
    [0x37] = "READ DEFECT DATA(10)",
    [0x3B] = "WRITE BUFFER",
    [0x3C] = "READ BUFFER",
    [0x41] = "WRITE SAME(10)",
    [0x42] = "UNMAP",
    [0x48] = "SANITIZE",
    [0x4C] = "LOG SELECT",
    [0x4D] = "LOG SENSE",
    [0x55] = "MODE SELECT(10)",
    [0x56] = "RESERVE(10)",
    [0x57] = "RELEASE(10)",
    [0x5E] = "PERSISTENT RESERVE IN",
    [0x5F] = "PERSISTENT RESERVE OUT",
    [0x7F] = "VARIABLE LENGTH CDB",
    [0x83] = "THIRD-PARTY COPY OUT",
    [0x84] = "THIRD-PARTY COPY IN",
    [0x89] = "COMPARE AND WRITE",
    [0x8E] = "WRITE AND VERIFY(16)",
    [0x8F] = "VERIFY(16)",
    [0x91] = "SYNCHRONIZE CACHE(16)",
    [0x93] = "WRITE SAME(16)",
    [0x9F] = "SERVICE ACTION OUT(16)",
    [0xA3] = "MAINTENANCE IN",
    [0xA4] = "MAINTENANCE OUT",
    [0xA8] = "READ(12)",
    [0xAA] = "WRITE(12)",
    [0xAF] = "VERIFY(12)",
    [0xB7] = "READ DEFECT DATA(12)",
};

const char *
scsi_disk_opcode_name(uint8_t opcode)
{
    if (table[opcode].handler)
        return table[opcode].info.name;
    return other_names[opcode] ? other_names[opcode] : "UNKNOWN";
}

/* Lower-case letters and digits only: "READ(10)" -> "read10". */
static void
squash(const char *in, char *out, size_t len)
{
    size_t n = 0;

    for (; *in != '\0' && n + 1 < len; in++)
        if (isalnum((unsigned char)*in))
            out[n++] = (char)tolower((unsigned char)*in);
    out[n] = '\0';
}

bool
scsi_disk_same_name(const char *a, const char *b)
{
    char x[48], y[48];

    squash(a, x, sizeof x);
    squash(b, y, sizeof y);
    return x[0] != '\0' && strcmp(x, y) == 0;
}

static uint64_t
be(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

unsigned
scsi_disk_opcode_class(uint8_t opcode)
{
    return table[opcode].handler ? table[opcode].cls : 0;
}

bool
scsi_cdb_lba(const uint8_t *cdb, uint64_t *lba)
{
    switch (cdb[0] >> 5) {          /* the group code says the layout */
    case 0:                         /* 6-byte: 21-bit LBA */
        *lba = be(cdb + 1, 3) & 0x1FFFFF;
        return true;
    case 1: case 2: case 5:         /* 10- and 12-byte */
        *lba = be(cdb + 2, 4);
        return true;
    case 4:                         /* 16-byte */
        *lba = be(cdb + 2, 8);
        return true;
    default:
        *lba = 0;
        return false;
    }
}

int
scsi_disk_opcode_parse(const char *text, uint8_t *op)
{
    char *end;
    unsigned long v = strtoul(text, &end, 0);

    if (*text != '\0' && *text != '-' && *end == '\0') {
        if (v > 255)
            return -EINVAL;
        *op = (uint8_t)v;
        return 0;
    }
    for (int i = 0; i < 256; i++)
        if (strcmp(scsi_disk_opcode_name((uint8_t)i), "UNKNOWN") != 0 &&
            scsi_disk_same_name(text, scsi_disk_opcode_name((uint8_t)i))) {
            *op = (uint8_t)i;
            return 0;
        }
    return -EINVAL;
}
