/**
 * @file pool.h
 * @brief Simulated kernel pool: allocation with IRQL checks and per-tag
 *        accounting of what is outstanding.
 */
#ifndef STORSIM_POOL_H
#define STORSIM_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup sim_pool Pool
 * @ingroup sim
 * @brief ExAllocatePoolWithTag rules under Driver Verifier.
 *
 * Non-paged pool may be allocated and freed at IRQL <= DISPATCH_LEVEL, paged
 * pool at IRQL <= APC_LEVEL; anything else is DRIVER_VERIFIER_DETECTED_VIOLATION
 * (0xC4) with parameter 1 = 0x01/0x02 (allocate) or 0x11/0x12 (free), as
 * Driver Verifier reports it. Freeing twice is 0xC4/0x13; freeing an address
 * the pool never returned is 0xC4/0x10; a zero-byte request is 0xC4/0x00.
 * Memory still allocated when the machine is destroyed is reported per tag.
 * @{
 */

/** @brief Pool types (POOL_TYPE). */
enum sim_pool_type {
    SIM_NONPAGED_POOL = 0, /**< NonPagedPool */
    SIM_PAGED_POOL = 1,    /**< PagedPool */
};

/**
 * @brief Allocate zeroed pool memory.
 * @param[in] type pool type
 * @param[in] size bytes (> 0)
 * @param[in] tag  four-character tag, e.g. 'SimH' written as a constant
 * @param[in] file caller's source file
 * @param[in] line caller's source line
 * @return the memory (never NULL; exhaustion of host memory aborts)
 */
void *sim_pool_alloc(enum sim_pool_type type, size_t size, uint32_t tag,
                     const char *file, int line);

/**
 * @brief Free pool memory.
 * @param[in] p    memory from sim_pool_alloc()
 * @param[in] file caller's source file
 * @param[in] line caller's source line
 */
void sim_pool_free(void *p, const char *file, int line);

/**
 * @brief Bytes and blocks outstanding for a tag.
 * @param[in]  tag    the tag
 * @param[out] blocks number of blocks (may be NULL)
 * @return bytes outstanding
 */
size_t sim_pool_outstanding(uint32_t tag, size_t *blocks);

/**
 * @brief Format a tag as four printable characters.
 * @param[in]  tag the tag
 * @param[out] out at least 5 bytes
 * @return @p out
 */
char *sim_pool_tag_string(uint32_t tag, char *out);

/** @} */

#endif /* STORSIM_POOL_H */
