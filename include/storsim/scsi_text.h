/* scsi_text.h - SCSI for people: names of opcodes, statuses and sense
 * codes, parsing them back, hex dumps. */
/**
 * @file scsi_text.h
 * @brief The SCSI disk model's words for people: the names of operation
 *        codes, statuses, sense keys and additional sense codes, parsing
 *        an opcode back from its name, sense data built and described, and
 *        hex dumps.
 *
 * Interface: the console, the command line, the fault rules and the
 * `storsim cdb` tool call these; scsi_disk.h includes this header, so its
 * users need nothing more. Implemented in src/hba (scsi_disk_table.c and
 * the sense and dump code).
 */
#ifndef STORSIM_SCSI_TEXT_H
#define STORSIM_SCSI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @addtogroup scsi_disk
 * @{
 */

/**
 * @brief Name of an operation code, implemented or merely common.
 * @param[in] opcode operation code.
 * @return e.g. "READ(10)", or "UNKNOWN" (never NULL).
 */
const char *scsi_disk_opcode_name(uint8_t opcode);

/**
 * @brief Whether two names agree when only their letters and digits count,
 *        in any case: "READ(10)", "read10" and "read-10" are one name.
 * @param[in] a a name
 * @param[in] b another
 * @return true when they agree (and are not empty)
 */
bool scsi_disk_same_name(const char *a, const char *b);

/**
 * @brief Parse an operation code given as a number (0x28) or a name
 *        (read10, "READ(10)").
 * @param[in]  text the text
 * @param[out] op   the operation code
 * @return 0, or -EINVAL when it is neither
 */
int scsi_disk_opcode_parse(const char *text, uint8_t *op);

/**
 * @brief The logical block address a CDB names, read by its group code
 *        (byte 0's top three bits): 21 bits in a 6-byte CDB, 32 in 10- and
 *        12-byte ones, 64 in 16-byte ones.
 * @param[in]  cdb the CDB (as long as its group says)
 * @param[out] lba the address; 0 when the group has none
 * @return true when the group has an LBA field (it may still mean none,
 *         as for INQUIRY, whose bytes 1-3 are not one)
 */
bool scsi_cdb_lba(const uint8_t *cdb, uint64_t *lba);

/**
 * @brief Name of a SCSI status.
 * @param[in] status status byte.
 * @return e.g. "CHECK CONDITION", or "UNKNOWN STATUS" (never NULL).
 */
const char *scsi_disk_status_name(uint8_t status);

/**
 * @brief Name of a sense key.
 * @param[in] key sense key (low four bits used).
 * @return e.g. "ILLEGAL REQUEST" (never NULL).
 */
const char *scsi_disk_sense_key_name(uint8_t key);

/**
 * @brief Text of an additional sense code pair.
 * @param[in] asc additional sense code.
 * @param[in] ascq additional sense code qualifier.
 * @return e.g. "INVALID FIELD IN CDB", or NULL when not in the table.
 */
const char *scsi_disk_asc_name(uint8_t asc, uint8_t ascq);

/**
 * @brief Describe a sense triple for humans, e.g.
 *        "ILLEGAL REQUEST: INVALID FIELD IN CDB". Unknown pairs print as
 *        "ASC 0x12 ASCQ 0x34" (or "VENDOR SPECIFIC ASC ..." from 80h up).
 * @param[in] key sense key.
 * @param[in] asc additional sense code.
 * @param[in] ascq additional sense code qualifier.
 * @param[out] buf where to write the text (always NUL-terminated if @p len > 0).
 * @param[in] len size of @p buf.
 * @return @p buf.
 */
const char *scsi_disk_sense_describe(uint8_t key, uint8_t asc, uint8_t ascq,
                                     char *buf, size_t len);

/**
 * @brief Build fixed-format sense data (response code 70h, additional
 *        length 10, no INFORMATION, no sense-key specific bytes).
 * @param[out] buf at least SCSI_DISK_SENSE_LEN bytes.
 * @param[in] key sense key.
 * @param[in] asc_ascq packed ASC/ASCQ.
 */
void scsi_disk_sense_fixed(uint8_t *buf, uint8_t key, uint16_t asc_ascq);

/**
 * @brief Parse hex byte arguments such as {"12", "0x00", "00 00 24 00"}.
 *
 * Each argument holds one or more tokens separated by blanks; a token is
 * one or two hex digits, optionally prefixed by 0x or 0X.
 * @param[in] argv the arguments.
 * @param[in] argc how many.
 * @param[out] out the parsed bytes.
 * @param[in] max capacity of @p out.
 * @param[out] len bytes parsed.
 * @param[out] err on failure a message naming the token and its position,
 *             e.g. "token 3 (\"0xg1\"): 'g' is not a hex digit"; may be NULL.
 * @param[in] errlen size of @p err.
 * @return 0, -EINVAL for a bad or missing token, -E2BIG for more than @p max bytes.
 */
int scsi_disk_parse_hex(const char *const *argv, int argc, uint8_t *out, size_t max,
                        size_t *len, char *err, size_t errlen);

/**
 * @brief Format a hex dump, 16 bytes a line: offset, bytes, ASCII.
 *
 * Output looks like "0000  12 00 00 00 24 00 ...  |....$...........|".
 * @param[in] data the bytes.
 * @param[in] len how many.
 * @param[out] buf where to write (NUL-terminated, truncated to fit); may be
 *             NULL when @p buflen is 0.
 * @param[in] buflen size of @p buf.
 * @return the length of the full dump (as snprintf: a return >= buflen
 *         means it was truncated).
 */
size_t scsi_disk_hexdump(const void *data, size_t len, char *buf, size_t buflen);

/**
 * @brief Write a hex dump (as scsi_disk_hexdump()) to a stream.
 * @param[in] f the stream.
 * @param[in] data the bytes.
 * @param[in] len how many.
 * @return 0, or -EIO when writing failed.
 */
int scsi_disk_hexdump_file(FILE *f, const void *data, size_t len);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* STORSIM_SCSI_TEXT_H */
