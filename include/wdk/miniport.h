/**
 * @file miniport.h
 * @brief WDK base types for storage miniports: the Windows integer types,
 *        SAL annotations, bus and interrupt enumerations, ACCESS_RANGE.
 *
 * Interface: srb.h and scsi.h include this file; a miniport normally
 * includes storport.h (which includes everything) and nothing else. Every
 * name here is the WDK name, spelled as in the Windows Driver Kit, so it can
 * be looked up on learn.microsoft.com. The only storsim-specific names are
 * storsim_call_site() and STORSIM_CALL_SITE(), which let the simulator record
 * where in the miniport each port-library call was made.
 *
 * The host is Linux LP64, so the types are pinned to the sizes Windows x64
 * gives them: ULONG and LONG are 32 bits (not the host's 64-bit long),
 * pointers and ULONG_PTR are 64 bits.
 */
#ifndef STORSIM_WDK_MINIPORT_H
#define STORSIM_WDK_MINIPORT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/**
 * @defgroup wdk_base WDK base types (miniport.h)
 * @brief Windows base types, SAL annotations and bus definitions that both
 *        the SCSI Port and the Storport miniport headers build on.
 *
 * Microsoft documents these in the "Windows Data Types" page, the "SAL 2.0
 * annotations for Windows drivers" pages, and the wdm.h / miniport.h
 * reference pages (INTERFACE_TYPE, KINTERRUPT_MODE, DMA_WIDTH, DMA_SPEED,
 * DEVICE_POWER_STATE, ACCESS_RANGE structure (srb.h / storport.h)).
 * @{
 */

/* ------------------------------------------------------------------------ */
/** @name Windows base types (Windows Data Types, x64 sizes) */
/** @{ */

/** @brief The Windows spelling of void. */
#define VOID void
/** @brief The Windows spelling of const. */
#define CONST const
/** @brief Legacy annotation: an input parameter (no effect). */
#define IN
/** @brief Legacy annotation: an output parameter (no effect). */
#define OUT
/** @brief Legacy annotation: the parameter may be NULL (no effect). */
#define OPTIONAL

/** @brief 8-bit character (CHAR). */
typedef char CHAR;
/** @brief Pointer to CHAR. */
typedef CHAR *PCHAR;
/** @brief Counted-string character (CCHAR). */
typedef char CCHAR;
/** @brief Pointer to a constant CHAR string. */
typedef const CHAR *PCCHAR;
/** @brief Unsigned 8-bit integer (UCHAR). */
typedef uint8_t UCHAR;
/** @brief Pointer to UCHAR. */
typedef UCHAR *PUCHAR;
/** @brief Signed 16-bit integer (SHORT). */
typedef int16_t SHORT;
/** @brief Counted short (CSHORT), used in kernel object headers. */
typedef int16_t CSHORT;
/** @brief Unsigned 16-bit integer (USHORT). */
typedef uint16_t USHORT;
/** @brief Pointer to USHORT. */
typedef USHORT *PUSHORT;
/** @brief Signed 32-bit integer (LONG is 32 bits on Windows, also on x64). */
typedef int32_t LONG;
/** @brief Pointer to LONG. */
typedef LONG *PLONG;
/** @brief Unsigned 32-bit integer (ULONG is 32 bits on Windows, also on x64). */
typedef uint32_t ULONG;
/** @brief Pointer to ULONG. */
typedef ULONG *PULONG;
/** @brief Signed 64-bit integer (LONGLONG). */
typedef int64_t LONGLONG;
/** @brief Unsigned 64-bit integer (ULONGLONG). */
typedef uint64_t ULONGLONG;
/** @brief Pointer to ULONGLONG. */
typedef ULONGLONG *PULONGLONG;
/** @brief Unsigned integer the size of a pointer (ULONG_PTR). */
typedef uintptr_t ULONG_PTR;
/** @brief Pointer to ULONG_PTR. */
typedef ULONG_PTR *PULONG_PTR;
/** @brief Signed integer the size of a pointer (LONG_PTR). */
typedef intptr_t LONG_PTR;
/** @brief Byte count the size of a pointer (SIZE_T). */
typedef ULONG_PTR SIZE_T;
/** @brief Pointer to SIZE_T. */
typedef SIZE_T *PSIZE_T;
/** @brief Untyped pointer (PVOID). */
typedef void *PVOID;
/** @brief Windows boolean: one byte, TRUE or FALSE. */
typedef uint8_t BOOLEAN;
/** @brief Pointer to BOOLEAN. */
typedef BOOLEAN *PBOOLEAN;
/** @brief NT status code: negative values are errors. */
typedef LONG NTSTATUS;
/** @brief Interrupt request level (KIRQL). */
typedef UCHAR KIRQL;
/** @brief Pointer to KIRQL. */
typedef KIRQL *PKIRQL;

#ifndef TRUE
/** @brief BOOLEAN true. */
#define TRUE 1
#endif
#ifndef FALSE
/** @brief BOOLEAN false. */
#define FALSE 0
#endif

/** @brief The operation completed successfully (NTSTATUS). */
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
/** @brief True when an NTSTATUS is a success or informational code. */
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

/**
 * @brief A 64-bit signed integer that can also be read as two 32-bit halves
 *        (LARGE_INTEGER union, winnt.h).
 */
typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;   /**< low 32 bits */
        LONG HighPart;   /**< high 32 bits */
    };
    /** @brief The same two halves, reachable by name. */
    struct {
        ULONG LowPart;   /**< low 32 bits */
        LONG HighPart;   /**< high 32 bits */
    } u;
    LONGLONG QuadPart;   /**< the whole 64-bit value */
} LARGE_INTEGER;
/** @brief Pointer to LARGE_INTEGER. */
typedef LARGE_INTEGER *PLARGE_INTEGER;

/** @brief A physical (bus) address: a LARGE_INTEGER (PHYSICAL_ADDRESS). */
typedef LARGE_INTEGER PHYSICAL_ADDRESS;
/** @brief Pointer to PHYSICAL_ADDRESS. */
typedef PHYSICAL_ADDRESS *PPHYSICAL_ADDRESS;
/** @brief The SCSI Port name for a physical address (srb.h). */
typedef PHYSICAL_ADDRESS SCSI_PHYSICAL_ADDRESS;
/** @brief Pointer to SCSI_PHYSICAL_ADDRESS. */
typedef SCSI_PHYSICAL_ADDRESS *PSCSI_PHYSICAL_ADDRESS;
/** @brief The Storport name for a physical address (storport.h). */
typedef PHYSICAL_ADDRESS STOR_PHYSICAL_ADDRESS;
/** @brief Pointer to STOR_PHYSICAL_ADDRESS. */
typedef STOR_PHYSICAL_ADDRESS *PSTOR_PHYSICAL_ADDRESS;

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Helper macros (ntdef.h / wdm.h) */
/** @{ */

/** @brief Declared size of a variable-length trailing array. */
#define ANYSIZE_ARRAY 1
/** @brief Byte offset of @p field in @p type (ntdef.h FIELD_OFFSET). */
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
/** @brief Silences "unused parameter" for a parameter kept for the WDK signature. */
#define UNREFERENCED_PARAMETER(P) ((void)(P))
/** @brief Fills @p Length bytes at @p Destination with zero (wdm.h RtlZeroMemory). */
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
/** @brief Copies non-overlapping memory (wdm.h RtlCopyMemory). */
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
/** @brief Copies possibly overlapping memory (wdm.h RtlMoveMemory). */
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))

/** @} */

/* ------------------------------------------------------------------------ */
/**
 * @name SAL annotations
 *
 * Source-code annotation language (SAL 2.0) as used in WDK prototypes. The
 * Microsoft compiler's code analysis checks them; here they expand to
 * nothing and serve as documentation: read `_In_` as "the routine reads
 * this", `_Out_` as "the routine writes this", `_opt_` as "may be NULL".
 */
/** @{ */

#ifndef _In_
/** @brief SAL: input parameter, read by the routine. */
#define _In_
#endif
#ifndef _In_opt_
/** @brief SAL: optional input parameter (may be NULL). */
#define _In_opt_
#endif
#ifndef _In_z_
/** @brief SAL: input NUL-terminated string. */
#define _In_z_
#endif
#ifndef _In_reads_
/** @brief SAL: input buffer of @p n elements. */
#define _In_reads_(n)
#endif
#ifndef _In_reads_bytes_
/** @brief SAL: input buffer of @p n bytes. */
#define _In_reads_bytes_(n)
#endif
#ifndef _Out_
/** @brief SAL: output parameter, written by the routine. */
#define _Out_
#endif
#ifndef _Out_opt_
/** @brief SAL: optional output parameter (may be NULL). */
#define _Out_opt_
#endif
#ifndef _Out_writes_
/** @brief SAL: output buffer of @p n elements. */
#define _Out_writes_(n)
#endif
#ifndef _Out_writes_bytes_
/** @brief SAL: output buffer of @p n bytes. */
#define _Out_writes_bytes_(n)
#endif
#ifndef _Outptr_
/** @brief SAL: receives a non-NULL pointer. */
#define _Outptr_
#endif
#ifndef _Outptr_opt_
/** @brief SAL: optionally receives a pointer. */
#define _Outptr_opt_
#endif
#ifndef _Inout_
/** @brief SAL: read and written by the routine. */
#define _Inout_
#endif
#ifndef _Inout_opt_
/** @brief SAL: optional in/out parameter. */
#define _Inout_opt_
#endif
#ifndef _Inout_updates_bytes_
/** @brief SAL: in/out buffer of @p n bytes. */
#define _Inout_updates_bytes_(n)
#endif
#ifndef _Use_decl_annotations_
/** @brief SAL: take the annotations from the role-type declaration. */
#define _Use_decl_annotations_
#endif
#ifndef _Must_inspect_result_
/** @brief SAL: the caller must look at the return value. */
#define _Must_inspect_result_
#endif
#ifndef _Success_
/** @brief SAL: the condition @p expr means success. */
#define _Success_(expr)
#endif
#ifndef _Ret_maybenull_
/** @brief SAL: the returned pointer may be NULL. */
#define _Ret_maybenull_
#endif
#ifndef _IRQL_requires_
/** @brief SAL: must be called at exactly @p irql. */
#define _IRQL_requires_(irql)
#endif
#ifndef _IRQL_requires_max_
/** @brief SAL: must be called at or below @p irql. */
#define _IRQL_requires_max_(irql)
#endif
#ifndef _IRQL_requires_min_
/** @brief SAL: must be called at or above @p irql. */
#define _IRQL_requires_min_(irql)
#endif
#ifndef _Field_size_
/** @brief SAL: the field points to @p n elements. */
#define _Field_size_(n)
#endif
#ifndef _Field_size_bytes_
/** @brief SAL: the field points to @p n bytes. */
#define _Field_size_bytes_(n)
#endif
#ifndef _Field_range_
/** @brief SAL: the field's value lies in [@p lo, @p hi]. */
#define _Field_range_(lo, hi)
#endif
#ifndef __drv_aliasesMem
/** @brief SAL: the routine keeps the pointer it is given. */
#define __drv_aliasesMem
#endif
#ifndef __drv_freesMem
/** @brief SAL: the routine frees this memory. */
#define __drv_freesMem(kind)
#endif
#ifndef __drv_allocatesMem
/** @brief SAL: the routine allocates this memory. */
#define __drv_allocatesMem(kind)
#endif

/** @} */

/* ------------------------------------------------------------------------ */
/** @name IRQL values (wdm.h, x64) */
/** @{ */

#ifndef PASSIVE_LEVEL
/** @brief Threads run here; no interrupt is masked. */
#define PASSIVE_LEVEL 0
#endif
#ifndef APC_LEVEL
/** @brief Asynchronous procedure calls are masked. */
#define APC_LEVEL 1
#endif
#ifndef DISPATCH_LEVEL
/** @brief DPCs and ordinary spin locks; the dispatcher is masked. */
#define DISPATCH_LEVEL 2
#endif
#ifndef HIGH_LEVEL
/** @brief Every interrupt is masked. */
#define HIGH_LEVEL 15
#endif

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Bus, interrupt, DMA and power enumerations (wdm.h / miniport.h) */
/** @{ */

/**
 * @brief The kind of I/O bus an adapter sits on (INTERFACE_TYPE).
 *
 * Storport supports only PnP buses (in practice PCIBus and Internal);
 * SCSI Port also accepted the legacy ISA, EISA and MicroChannel buses.
 */
typedef enum _INTERFACE_TYPE {
    InterfaceTypeUndefined = -1, /**< not known */
    Internal,                    /**< 0: on the system board */
    Isa,                         /**< 1: ISA bus */
    Eisa,                        /**< 2: EISA bus */
    MicroChannel,                /**< 3: IBM MicroChannel */
    TurboChannel,                /**< 4: DEC TurboChannel */
    PCIBus,                      /**< 5: PCI / PCI Express */
    VMEBus,                      /**< 6: VME bus */
    NuBus,                       /**< 7: NuBus */
    PCMCIABus,                   /**< 8: PC Card */
    CBus,                        /**< 9: C-bus */
    MPIBus,                      /**< 10: MPI bus */
    MPSABus,                     /**< 11: MPSA bus */
    ProcessorInternal,           /**< 12: inside the processor */
    InternalPowerBus,            /**< 13: internal power bus */
    PNPISABus,                   /**< 14: Plug and Play ISA */
    PNPBus,                      /**< 15: generic Plug and Play bus */
    Vmcs,                        /**< 16: VMCS */
    ACPIBus,                     /**< 17: ACPI-enumerated */
    MaximumInterfaceType         /**< one past the last valid value */
} INTERFACE_TYPE;
/** @brief Pointer to INTERFACE_TYPE. */
typedef INTERFACE_TYPE *PINTERFACE_TYPE;

/** @brief How an interrupt line signals (KINTERRUPT_MODE). */
typedef enum _KINTERRUPT_MODE {
    LevelSensitive, /**< 0: asserted while the device needs service (PCI INTx) */
    Latched         /**< 1: edge-triggered; one edge per event */
} KINTERRUPT_MODE;

/** @brief Width of a system-DMA transfer (DMA_WIDTH). */
typedef enum _DMA_WIDTH {
    Width8Bits,      /**< 0: 8-bit transfers */
    Width16Bits,     /**< 1: 16-bit transfers */
    Width32Bits,     /**< 2: 32-bit transfers */
    Width64Bits,     /**< 3: 64-bit transfers */
    WidthNoWrap,     /**< 4: no wrap at boundaries */
    MaximumDmaWidth  /**< one past the last valid value */
} DMA_WIDTH;
/** @brief Pointer to DMA_WIDTH. */
typedef DMA_WIDTH *PDMA_WIDTH;

/** @brief EISA system-DMA timing (DMA_SPEED). */
typedef enum _DMA_SPEED {
    Compatible,      /**< 0: ISA-compatible timing */
    TypeA,           /**< 1: EISA type A */
    TypeB,           /**< 2: EISA type B */
    TypeC,           /**< 3: EISA type C (burst) */
    TypeF,           /**< 4: type F */
    MaximumDmaSpeed  /**< one past the last valid value */
} DMA_SPEED;
/** @brief Pointer to DMA_SPEED. */
typedef DMA_SPEED *PDMA_SPEED;

/** @brief Device power state D0 (on) to D3 (off) (DEVICE_POWER_STATE). */
typedef enum _DEVICE_POWER_STATE {
    PowerDeviceUnspecified = 0, /**< not specified */
    PowerDeviceD0,              /**< 1: fully on */
    PowerDeviceD1,              /**< 2: light sleep */
    PowerDeviceD2,              /**< 3: deeper sleep */
    PowerDeviceD3,              /**< 4: off */
    PowerDeviceMaximum          /**< one past the last valid value */
} DEVICE_POWER_STATE;
/** @brief Pointer to DEVICE_POWER_STATE. */
typedef DEVICE_POWER_STATE *PDEVICE_POWER_STATE;

/** @} */

/* ------------------------------------------------------------------------ */

/**
 * @brief One range of adapter registers or memory that the port driver
 *        reports to HwFindAdapter (ACCESS_RANGE structure).
 *
 * The miniport maps each range with ScsiPortGetDeviceBase() /
 * StorPortGetDeviceBase() and then uses only the mapped address.
 */
typedef struct _ACCESS_RANGE {
    STOR_PHYSICAL_ADDRESS RangeStart; /**< bus-relative start of the range */
    ULONG RangeLength;                /**< length of the range in bytes */
    BOOLEAN RangeInMemory;            /**< TRUE: memory space; FALSE: I/O port space */
} ACCESS_RANGE;
/** @brief Pointer to ACCESS_RANGE. */
typedef ACCESS_RANGE *PACCESS_RANGE;

/* ------------------------------------------------------------------------ */
/** @name Port-library call sites (storsim) */
/** @{ */

/**
 * @brief Records the miniport source location of the port-library call
 *        that is about to be made.
 *
 * Implemented by the simulator. Every ScsiPortXxx and StorPortXxx routine a
 * miniport calls is a macro that first calls this function with the
 * caller's `__FILE__` and `__LINE__`, then the real routine; so the trace
 * can name the line of the miniport for each register access, lock,
 * notification and stall. Port-driver source files that implement the
 * routines define STORSIM_NO_CALL_SITES before including the headers.
 *
 * @param[in] file source file of the call, as `__FILE__` gives it
 * @param[in] line source line of the call
 */
void storsim_call_site(const char *file, int line);

/** @brief Records the current source line as a port-library call site. */
#define STORSIM_CALL_SITE() storsim_call_site(__FILE__, __LINE__)

/** @} */

/** @} */ /* wdk_base */

/**
 * @name Kernel IRQL routines (wdm.h)
 * A Storport miniport should not need them; they are here because a
 * student's miniport may call them, and the verifier's IRQL rules judge
 * what it then does.
 * @{
 */

/** @brief The calling processor's IRQL (KeGetCurrentIrql).
 *  @return the IRQL */
KIRQL KeGetCurrentIrql(VOID);

/**
 * @brief Raises the processor's IRQL (KeRaiseIrql). Raising to a lower
 *        level bug-checks with IRQL_NOT_GREATER_OR_EQUAL.
 * @param[in]  NewIrql the new, higher (or equal) IRQL
 * @param[out] OldIrql the IRQL to give to KeLowerIrql
 * @return None.
 */
VOID KeRaiseIrql(_In_ KIRQL NewIrql, _Out_ PKIRQL OldIrql);

/**
 * @brief Lowers the processor's IRQL back (KeLowerIrql). Lowering to a
 *        higher level bug-checks with IRQL_NOT_LESS_OR_EQUAL.
 * @param[in] NewIrql the IRQL KeRaiseIrql returned
 * @return None.
 */
VOID KeLowerIrql(_In_ KIRQL NewIrql);

/** @} */

#ifndef STORSIM_NO_CALL_SITES
/** @cond STORSIM_CALL_SITES */
#define KeRaiseIrql(NewIrql, OldIrql) \
    (STORSIM_CALL_SITE(), KeRaiseIrql(NewIrql, OldIrql))
#define KeLowerIrql(NewIrql) (STORSIM_CALL_SITE(), KeLowerIrql(NewIrql))
/** @endcond */
#endif

#endif /* STORSIM_WDK_MINIPORT_H */
