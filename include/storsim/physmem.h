/* physmem.h - simulated physical memory: the machine's RAM as DMA sees it. */
/**
 * @file physmem.h
 * @brief Simulated physical memory: host buffers whose 4 KiB pages are
 *        mapped to simulated physical page frames, so that devices address
 *        them by physical address and buffers have real scatter/gather lists.
 *
 * Interface: whoever owns memory a device will reach by DMA (the port
 * drivers for uncached extensions and request rings, the workload layer
 * for data buffers, tests) gets it from physmem_alloc() and gives it back
 * with physmem_free(). Drivers translate with physmem_virt_to_phys() and
 * physmem_build_sg(); devices reach host memory with physmem_phys_to_virt(),
 * physmem_phys_run(), physmem_read() and physmem_write().
 *
 * Non-contiguous allocations get their frames scattered over a 64 GiB
 * physical address space (most addresses are above 4 GiB), with about one
 * page in four placed right after the previous one, so a 64 KiB buffer is
 * a scatter/gather list of a dozen or so extents. Contiguous allocations
 * (rings, uncached extensions) get consecutive frames. The placement comes
 * from the sim_rng stream "physmem", seeded at the first allocation after
 * physmem_reset() (from the machine seed if a machine exists), so the same
 * sequence of allocations gives the same addresses.
 *
 * physmem works with or without a simulated machine. It is global, like
 * the machine: whoever creates a machine calls physmem_reset() after
 * destroying it (and tests call it at the end of each test) to free every
 * allocation and start again from a fresh address space.
 *
 * @code
 * uint8_t *buf = physmem_alloc(65536, false);
 * struct physmem_extent sg[32];
 * size_t n;
 * if (physmem_build_sg(buf, 65536, sg, 32, 0, &n) == 0)
 *     for (size_t i = 0; i < n; i++)
 *         printf("%#llx +%u\n", (unsigned long long)sg[i].phys, sg[i].length);
 * physmem_free(buf);
 * @endcode
 */
#ifndef STORSIM_PHYSMEM_H
#define STORSIM_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * @defgroup physmem Simulated physical memory
 * @brief Page-framed host memory with simulated physical addresses.
 * @{
 */

/** @brief log2 of the page size. */
#define PHYSMEM_PAGE_SHIFT 12
/** @brief The page (and frame) size: 4096 bytes. */
#define PHYSMEM_PAGE_SIZE (1u << PHYSMEM_PAGE_SHIFT)
/** @brief Number of page frames in the simulated physical address space
 *         (64 GiB). Frame 0 is never used, so physical address 0 is never
 *         valid. */
#define PHYSMEM_FRAMES (1u << 24)
/** @brief The largest single allocation: 1 GiB. */
#define PHYSMEM_MAX_ALLOC (1ull << 30)

/** @brief One physically contiguous extent of a buffer (an SG element). */
struct physmem_extent {
    uint64_t phys;   /**< physical address of the first byte */
    uint32_t length; /**< bytes in the extent */
};

/** @brief What physmem holds now. */
struct physmem_stats {
    size_t allocations; /**< live allocations */
    size_t pages;       /**< pages (frames) they use */
    size_t contiguous;  /**< live allocations made with contiguous = true */
};

/**
 * @brief Allocate zeroed, page-aligned memory mapped to simulated frames.
 * @param[in] size       bytes (rounded up to whole pages), 1 to
 *                       PHYSMEM_MAX_ALLOC
 * @param[in] contiguous true for consecutive frames (rings, uncached
 *                       extensions), false for scattered frames
 * @return the memory, or NULL for a bad size, no room for a contiguous
 *         run, or host memory exhaustion
 */
void *physmem_alloc(size_t size, bool contiguous);

/**
 * @brief Free an allocation and unmap its frames. NULL is allowed.
 * @param[in] p a pointer physmem_alloc() returned
 * @return 0, or -EINVAL if @p p is not the start of an allocation
 */
int physmem_free(void *p);

/**
 * @brief The physical address of a byte of an allocation.
 * @param[in] p any byte address inside an allocation (including the slack
 *              of its last page)
 * @return the physical address, or 0 if @p p is not in physmem
 */
uint64_t physmem_virt_to_phys(const void *p);

/**
 * @brief The host address of a physical address.
 * @param[in] pa a physical address
 * @return the host address, or NULL if its frame is not mapped
 */
void *physmem_phys_to_virt(uint64_t pa);

/**
 * @brief The host address of @p pa and how many bytes from there are
 *        contiguous both physically and in host memory (at most @p len):
 *        what a DMA engine can copy in one go.
 * @param[in]  pa   a physical address
 * @param[in]  len  bytes wanted
 * @param[out] host the host address of @p pa (NULL when unmapped)
 * @return bytes usable from @p host (1 to @p len), or 0 when @p pa is
 *         unmapped or @p len is 0
 */
size_t physmem_phys_run(uint64_t pa, size_t len, void **host);

/**
 * @brief Copy from simulated physical memory (a device's DMA write to
 *        itself, e.g. fetching a descriptor).
 * @param[in]  pa  physical address of the first byte
 * @param[out] dst where to copy
 * @param[in]  len bytes
 * @return 0, or -EFAULT if any byte is unmapped (nothing is guaranteed
 *         about @p dst then)
 */
int physmem_read(uint64_t pa, void *dst, size_t len);

/**
 * @brief Copy into simulated physical memory (a device's DMA to the host).
 * @param[in] pa  physical address of the first byte
 * @param[in] src what to copy
 * @param[in] len bytes
 * @return 0, or -EFAULT if any byte is unmapped (then nothing is written)
 */
int physmem_write(uint64_t pa, const void *src, size_t len);

/**
 * @brief Build the scatter/gather list of a buffer: one extent per run of
 *        physically adjacent pages, split at @p max_len.
 * @param[in]  p         first byte of the buffer (inside an allocation)
 * @param[in]  len       bytes (0 gives an empty list)
 * @param[out] out       the extents (may be NULL when @p max_elems is 0)
 * @param[in]  max_elems most extents the caller accepts
 *                       (NumberOfPhysicalBreaks + 1)
 * @param[in]  max_len   most bytes per extent, or 0 for no limit
 * @param[out] count     extents written; with -E2BIG, extents needed
 * @return 0, -EFAULT if part of the range is not in physmem, -E2BIG if
 *         more than @p max_elems extents are needed
 */
int physmem_build_sg(const void *p, size_t len, struct physmem_extent *out,
                     size_t max_elems, uint32_t max_len, size_t *count);

/**
 * @brief Free every allocation and start again with an empty address
 *        space; the next allocation reseeds the placement stream.
 *        Call it after sim_destroy() and at the end of every test.
 */
void physmem_reset(void);

/** @brief What is allocated now. @param[out] out the figures */
void physmem_get_stats(struct physmem_stats *out);

/** @} */

#endif /* STORSIM_PHYSMEM_H */
