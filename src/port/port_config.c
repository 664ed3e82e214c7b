/* port_config.c: the PORT_CONFIGURATION_INFORMATION both port drivers hand
 * to HwFindAdapter, as far as they agree (see port_config.h).
 *
 * Interface: port_config_defaults().
 */
#include <string.h>

#include "port/port_config.h"

void
port_config_defaults(PPORT_CONFIGURATION_INFORMATION c, ACCESS_RANGE *range,
                     const struct port_hw *hw, const HW_INITIALIZATION_DATA *init)
{
    memset(c, 0, sizeof *c);
    c->Length = sizeof *c;
    c->AdapterInterfaceType = PCIBus;
    c->BusInterruptLevel = hw->dirql;
    c->InterruptMode = hw->irq_mode == SIM_IRQ_LEVEL ? LevelSensitive : Latched;
    c->MaximumTransferLength = SP_UNINITIALIZED_VALUE;
    c->NumberOfPhysicalBreaks = SP_UNINITIALIZED_VALUE;
    c->NumberOfAccessRanges = 1;
    range->RangeStart.QuadPart = (LONGLONG)hw->bar_phys;
    range->RangeLength = hw->bar_size;
    range->RangeInMemory = TRUE;
    c->AccessRanges = (ACCESS_RANGE (*)[])range;
    c->NumberOfBuses = 1;
    c->MaximumNumberOfTargets = hw->max_targets ? hw->max_targets : 8;
    c->MapBuffers = init->MapBuffers;
    c->NeedPhysicalAddresses = init->NeedPhysicalAddresses;
    c->TaggedQueuing = init->TaggedQueuing;
    c->AutoRequestSense = init->AutoRequestSense;
    c->MultipleRequestPerLu = init->MultipleRequestPerLu;
    c->ReceiveEvent = init->ReceiveEvent;
    c->DeviceExtensionSize = init->DeviceExtensionSize;
    c->SpecificLuExtensionSize = init->SpecificLuExtensionSize;
    c->SrbExtensionSize = init->SrbExtensionSize;
}
