/* scsi_disk_sense.c - building fixed-format sense data and describing it for humans. */
/*
 * Interface: scsi_disk_sense_build() (internal) and scsi_disk_sense_fixed()
 * fill the 18 bytes of fixed-format sense; scsi_disk_sense_key_name(),
 * scsi_disk_asc_name(), scsi_disk_status_name() and
 * scsi_disk_sense_describe() turn codes into the words of SPC-4 (annex F
 * for the ASC/ASCQ list), for the console, traces and test messages.
 */
#include <stdio.h>
#include <string.h>

#include "hba/scsi_disk_int.h"

/*
 * Fixed-format sense data (SPC-4 4.5.3):
 *   0     VALID (bit 7) | RESPONSE CODE 70h (current error)
 *   2     SENSE KEY (bits 3-0)
 *   3-6   INFORMATION (for medium errors: the failing LBA)
 *   7     ADDITIONAL SENSE LENGTH = 10 (bytes 8-17 follow)
 *   8-11  COMMAND-SPECIFIC INFORMATION
 *   12,13 ASC, ASCQ
 *   14    FIELD REPLACEABLE UNIT CODE
 *   15-17 SKSV (bit 7) | C/D (bit 6) | BPV (bit 3) | BIT POINTER, FIELD POINTER
 */
void
scsi_disk_sense_build(uint8_t *buf, const struct scsi_disk_sense_spec *spec)
{
    memset(buf, 0, SCSI_DISK_SENSE_LEN);
    buf[0] = 0x70;
    buf[2] = spec->key & 0x0F;
    /* INFORMATION is four bytes: an LBA above 2^32 - 1 cannot be reported
     * in fixed format, and SPC-4 then requires VALID = 0. */
    if (spec->info_valid && spec->info <= UINT32_MAX) {
        buf[0] |= 0x80;
        put_be32(buf + 3, (uint32_t)spec->info);
    }
    buf[7] = SCSI_DISK_SENSE_LEN - 8;
    buf[12] = SCSI_ASC_OF(spec->asc_ascq);
    buf[13] = SCSI_ASCQ_OF(spec->asc_ascq);
    if (spec->sks_valid) {
        buf[15] = 0x80 | (spec->sks_cdb ? 0x40 : 0) |
                  (spec->sks_bpv ? 0x08 | (spec->sks_bit & 0x07) : 0);
        put_be16(buf + 16, spec->sks_field);
    }
}

void
scsi_disk_sense_fixed(uint8_t *buf, uint8_t key, uint16_t asc_ascq)
{
    struct scsi_disk_sense_spec spec = { .key = key, .asc_ascq = asc_ascq };

    scsi_disk_sense_build(buf, &spec);
}

static const char *const key_names[16] = {
    "NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR",
    "HARDWARE ERROR", "ILLEGAL REQUEST", "UNIT ATTENTION", "DATA PROTECT",
    "BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
    "RESERVED (0x0C)", "VOLUME OVERFLOW", "MISCOMPARE", "COMPLETED",
};

const char *
scsi_disk_sense_key_name(uint8_t key)
{
    return key_names[key & 0x0F];
}

struct asc_name {
    uint16_t code;                  /* ASC << 8 | ASCQ */
    const char *text;
};

/* Every pair this model produces, then the ones a class driver commonly sees. */
static const struct asc_name asc_names[] = {
    { 0x0000, "NO ADDITIONAL SENSE INFORMATION" },
    { 0x0006, "I/O PROCESS TERMINATED" },
    { 0x0016, "OPERATION IN PROGRESS" },
    { 0x0400, "LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE" },
    { 0x0401, "LOGICAL UNIT IS IN PROCESS OF BECOMING READY" },
    { 0x0402, "LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED" },
    { 0x0403, "LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED" },
    { 0x0404, "LOGICAL UNIT NOT READY, FORMAT IN PROGRESS" },
    { 0x0C00, "WRITE ERROR" },
    { 0x0C02, "WRITE ERROR - AUTO REALLOCATION FAILED" },
    { 0x1000, "ID CRC OR ECC ERROR" },
    { 0x1001, "LOGICAL BLOCK GUARD CHECK FAILED" },
    { 0x1100, "UNRECOVERED READ ERROR" },
    { 0x1104, "UNRECOVERED READ ERROR - AUTO REALLOCATE FAILED" },
    { 0x1401, "RECORD NOT FOUND" },
    { 0x1501, "MECHANICAL POSITIONING ERROR" },
    { 0x1A00, "PARAMETER LIST LENGTH ERROR" },
    { 0x1D00, "MISCOMPARE DURING VERIFY OPERATION" },
    { 0x2000, "INVALID COMMAND OPERATION CODE" },
    { 0x2100, "LOGICAL BLOCK ADDRESS OUT OF RANGE" },
    { 0x2400, "INVALID FIELD IN CDB" },
    { 0x2500, "LOGICAL UNIT NOT SUPPORTED" },
    { 0x2600, "INVALID FIELD IN PARAMETER LIST" },
    { 0x2700, "WRITE PROTECTED" },
    { 0x2800, "NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED" },
    { 0x2900, "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED" },
    { 0x2901, "POWER ON OCCURRED" },
    { 0x2902, "SCSI BUS RESET OCCURRED" },
    { 0x2903, "BUS DEVICE RESET FUNCTION OCCURRED" },
    { 0x2904, "DEVICE INTERNAL RESET" },
    { 0x2907, "I_T NEXUS LOSS OCCURRED" },
    { 0x2A01, "MODE PARAMETERS CHANGED" },
    { 0x2A09, "CAPACITY DATA HAS CHANGED" },
    { 0x2C00, "COMMAND SEQUENCE ERROR" },
    { 0x2F00, "COMMANDS CLEARED BY ANOTHER INITIATOR" },
    { 0x3100, "MEDIUM FORMAT CORRUPTED" },
    { 0x3900, "SAVING PARAMETERS NOT SUPPORTED" },
    { 0x3A00, "MEDIUM NOT PRESENT" },
    { 0x3E02, "TIMEOUT ON LOGICAL UNIT" },
    { 0x3F00, "TARGET OPERATING CONDITIONS HAVE CHANGED" },
    { 0x3F01, "MICROCODE HAS BEEN CHANGED" },
    { 0x3F03, "INQUIRY DATA HAS CHANGED" },
    { 0x3F0E, "REPORTED LUNS DATA HAS CHANGED" },
    { 0x4400, "INTERNAL TARGET FAILURE" },
    { 0x4700, "SCSI PARITY ERROR" },
    { 0x4800, "INITIATOR DETECTED ERROR MESSAGE RECEIVED" },
    { 0x4900, "INVALID MESSAGE ERROR" },
    { 0x4B00, "DATA PHASE ERROR" },
    { 0x4E00, "OVERLAPPED COMMANDS ATTEMPTED" },
    { 0x5302, "MEDIUM REMOVAL PREVENTED" },
    { 0x5503, "INSUFFICIENT RESOURCES" },
    { 0x5D00, "FAILURE PREDICTION THRESHOLD EXCEEDED" },
    { 0x5DFF, "FAILURE PREDICTION THRESHOLD EXCEEDED (FALSE)" },
};

const char *
scsi_disk_asc_name(uint8_t asc, uint8_t ascq)
{
    uint16_t code = (uint16_t)(asc << 8 | ascq);

    for (size_t i = 0; i < sizeof asc_names / sizeof asc_names[0]; i++)
        if (asc_names[i].code == code)
            return asc_names[i].text;
    return NULL;
}

const char *
scsi_disk_sense_describe(uint8_t key, uint8_t asc, uint8_t ascq, char *buf, size_t len)
{
    const char *text = scsi_disk_asc_name(asc, ascq);

    if (len == 0)
        return buf;
    if (text)
        snprintf(buf, len, "%s: %s", scsi_disk_sense_key_name(key), text);
    else
        snprintf(buf, len, "%s: %sASC 0x%02X ASCQ 0x%02X", scsi_disk_sense_key_name(key),
                 asc >= 0x80 ? "VENDOR SPECIFIC " : "", asc, ascq);
    return buf;
}

const char *
scsi_disk_status_name(uint8_t status)
{
    switch (status) {
    case SCSI_STATUS_GOOD:                 return "GOOD";
    case SCSI_STATUS_CHECK_CONDITION:      return "CHECK CONDITION";
    case SCSI_STATUS_CONDITION_MET:        return "CONDITION MET";
    case SCSI_STATUS_BUSY:                 return "BUSY";
    case SCSI_STATUS_RESERVATION_CONFLICT: return "RESERVATION CONFLICT";
    case SCSI_STATUS_TASK_SET_FULL:        return "TASK SET FULL";
    case SCSI_STATUS_ACA_ACTIVE:           return "ACA ACTIVE";
    case SCSI_STATUS_TASK_ABORTED:         return "TASK ABORTED";
    default:                               return "UNKNOWN STATUS";
    }
}
