/* scp_hw.c: SCSI Port library routines for hardware access: the register
 * and port accessors, and mapping the adapter's register range.
 *
 * Interface: include/wdk/srb.h (ScsiPortReadRegisterUlong and friends,
 * ScsiPortGetDeviceBase, ScsiPortFreeDeviceBase); scp_map_register() and
 * scp_unmap_register() for scp_init.c.
 *
 * Unlike StorPortReadRegisterUlong, the SCSI Port accessors take no
 * device extension: the port finds the adapter from the address itself,
 * which must lie in a range ScsiPortGetDeviceBase mapped. SIMHBA has
 * 32-bit registers only: an 8- or 16-bit access reads or writes the 32-bit
 * register that contains it, and its I/O-port range decodes like its
 * memory range.
 */
#include <stdio.h>
#include <string.h>

#include "scsiport/scp_int.h"

/* Every SCSI Port adapter's mapped register range. Global, like the
 * machine: the accessors have no other way to find their adapter. */
static struct scp_adapter *mapped_head;

void
scp_map_register(struct scp_adapter *ad)
{
    ad->next_mapped = mapped_head;
    mapped_head = ad;
}

void
scp_unmap_register(struct scp_adapter *ad)
{
    for (struct scp_adapter **pp = &mapped_head; *pp; pp = &(*pp)->next_mapped)
        if (*pp == ad) {
            *pp = ad->next_mapped;
            return;
        }
}

static struct scp_adapter *
adapter_of(const void *reg, const char *routine, uint32_t *off)
{
    uintptr_t a = (uintptr_t)reg;

    for (struct scp_adapter *ad = mapped_head; ad; ad = ad->next_mapped) {
        uintptr_t base = (uintptr_t)ad->bar_base;
        if (a >= base && a - base < ad->params.hw.bar_size) {
            *off = (uint32_t)(a - base) & ~3u;
            return ad;
        }
    }
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                 PORT_VIOLATION_BAD_REGISTER, (uint64_t)a, 0, 0, NULL, 0,
                 "%s: %p is not inside any register range that "
                 "ScsiPortGetDeviceBase mapped", routine, reg);
    return NULL;
}

static uint32_t
rd(const void *reg, const char *routine)
{
    uint32_t off = 0;
    struct scp_adapter *ad = adapter_of(reg, routine, &off);
    const char *file;
    int line;

    scp_site(&file, &line);
    return ad->params.hw.read32(ad->params.hw.dev, off, file, line);
}

static void
wr(const void *reg, uint32_t value, const char *routine)
{
    uint32_t off = 0;
    struct scp_adapter *ad = adapter_of(reg, routine, &off);
    const char *file;
    int line;

    scp_site(&file, &line);
    ad->params.hw.write32(ad->params.hw.dev, off, value, file, line);
}

/* A buffer transfer through one register: one device access for the
 * whole buffer when the binding offers it (SIMHBA's PIO data port). */
static void
rd_buffer(const void *reg, PULONG buf, ULONG count, const char *routine)
{
    uint32_t off = 0;
    struct scp_adapter *ad = adapter_of(reg, routine, &off);
    const struct port_hw *hw = &ad->params.hw;
    const char *file;
    int line;

    scp_site(&file, &line);
    if (ad->params.read_buffer32 != NULL) {
        ad->params.read_buffer32(hw->dev, off, (uint32_t *)buf, count, file,
                                 line);
        return;
    }
    for (ULONG i = 0; i < count; i++)
        buf[i] = hw->read32(hw->dev, off, file, line);
}

static void
wr_buffer(const void *reg, const ULONG *buf, ULONG count, const char *routine)
{
    uint32_t off = 0;
    struct scp_adapter *ad = adapter_of(reg, routine, &off);
    const struct port_hw *hw = &ad->params.hw;
    const char *file;
    int line;

    scp_site(&file, &line);
    if (ad->params.write_buffer32 != NULL) {
        ad->params.write_buffer32(hw->dev, off, (const uint32_t *)buf, count,
                                  file, line);
        return;
    }
    for (ULONG i = 0; i < count; i++)
        hw->write32(hw->dev, off, buf[i], file, line);
}

static unsigned
shift_of(const void *reg)
{
    return ((uintptr_t)reg & 3u) * 8;
}

/* ---------- memory-mapped registers ---------- */

UCHAR
ScsiPortReadRegisterUchar(PUCHAR Register)
{
    return (UCHAR)(rd(Register, "ScsiPortReadRegisterUchar") >>
                   shift_of(Register));
}

USHORT
ScsiPortReadRegisterUshort(PUSHORT Register)
{
    return (USHORT)(rd(Register, "ScsiPortReadRegisterUshort") >>
                    shift_of(Register));
}

ULONG
ScsiPortReadRegisterUlong(PULONG Register)
{
    return rd(Register, "ScsiPortReadRegisterUlong");
}

VOID
ScsiPortReadRegisterBufferUlong(PULONG Register, PULONG Buffer, ULONG Count)
{
    rd_buffer(Register, Buffer, Count, "ScsiPortReadRegisterBufferUlong");
}

VOID
ScsiPortWriteRegisterUchar(PUCHAR Register, UCHAR Value)
{
    wr(Register, (uint32_t)Value << shift_of(Register),
       "ScsiPortWriteRegisterUchar");
}

VOID
ScsiPortWriteRegisterUshort(PUSHORT Register, USHORT Value)
{
    wr(Register, (uint32_t)Value << shift_of(Register),
       "ScsiPortWriteRegisterUshort");
}

VOID
ScsiPortWriteRegisterUlong(PULONG Register, ULONG Value)
{
    wr(Register, Value, "ScsiPortWriteRegisterUlong");
}

VOID
ScsiPortWriteRegisterBufferUlong(PULONG Register, PULONG Buffer, ULONG Count)
{
    wr_buffer(Register, Buffer, Count, "ScsiPortWriteRegisterBufferUlong");
}

/* ---------- I/O ports ---------- */

UCHAR
ScsiPortReadPortUchar(PUCHAR Port)
{
    return (UCHAR)(rd(Port, "ScsiPortReadPortUchar") >> shift_of(Port));
}

USHORT
ScsiPortReadPortUshort(PUSHORT Port)
{
    return (USHORT)(rd(Port, "ScsiPortReadPortUshort") >> shift_of(Port));
}

ULONG
ScsiPortReadPortUlong(PULONG Port)
{
    return rd(Port, "ScsiPortReadPortUlong");
}

VOID
ScsiPortReadPortBufferUlong(PULONG Port, PULONG Buffer, ULONG Count)
{
    rd_buffer(Port, Buffer, Count, "ScsiPortReadPortBufferUlong");
}

VOID
ScsiPortWritePortUchar(PUCHAR Port, UCHAR Value)
{
    wr(Port, (uint32_t)Value << shift_of(Port), "ScsiPortWritePortUchar");
}

VOID
ScsiPortWritePortUshort(PUSHORT Port, USHORT Value)
{
    wr(Port, (uint32_t)Value << shift_of(Port), "ScsiPortWritePortUshort");
}

VOID
ScsiPortWritePortUlong(PULONG Port, ULONG Value)
{
    wr(Port, Value, "ScsiPortWritePortUlong");
}

VOID
ScsiPortWritePortBufferUlong(PULONG Port, PULONG Buffer, ULONG Count)
{
    wr_buffer(Port, Buffer, Count, "ScsiPortWritePortBufferUlong");
}

/* ---------- the register range ---------- */

PVOID
ScsiPortGetDeviceBase(PVOID HwDeviceExtension, INTERFACE_TYPE BusType,
                      ULONG SystemIoBusNumber, SCSI_PHYSICAL_ADDRESS IoAddress,
                      ULONG NumberOfBytes, BOOLEAN InIoSpace)
{
    struct scp_adapter *ad = scp_from_ext(HwDeviceExtension,
                                          "ScsiPortGetDeviceBase");
    uint64_t base = ad->params.hw.bar_phys;
    uint64_t at = (uint64_t)IoAddress.QuadPart;

    (void)BusType; (void)SystemIoBusNumber; (void)InIoSpace;
    scp_library_call(ad, "ScsiPortGetDeviceBase");
    if (scp_current_callback(ad) != CB_FIND_ADAPTER)
        scp_wrong_place("ScsiPortGetDeviceBase",
                        "it may be called only from HwScsiFindAdapter");
    if (at < base || at + NumberOfBytes > base + ad->params.hw.bar_size)
        return NULL;   /* not one of this adapter's access ranges */
    return ad->bar_base + (at - base);
}

VOID
ScsiPortFreeDeviceBase(PVOID HwDeviceExtension, PVOID MappedAddress)
{
    (void)MappedAddress;
    scp_library_call(scp_from_ext(HwDeviceExtension, "ScsiPortFreeDeviceBase"),
                     "ScsiPortFreeDeviceBase");
}
