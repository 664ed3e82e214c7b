/* port_config.h: what both port drivers put in PORT_CONFIGURATION_INFORMATION
 * before they call HwFindAdapter (src/port/port_config.c).
 *
 * Interface: port_config_defaults(). Internal to the port drivers; each adds
 * its own members afterwards (Storport its synchronisation model and reset
 * hold time, SCSI Port its initiator ID and LUN count).
 */
#ifndef STORSIM_PORT_CONFIG_H
#define STORSIM_PORT_CONFIG_H

#include <srb.h>

#include "storsim/storport_sim.h"   /* struct port_hw */

/* Zero @c c, then fill what the bus and the device say (PCI, the interrupt,
 * the device's one memory range, written to @c range) and what the miniport
 * asked for in @c init (extension sizes, queuing, request sense). The two
 * limits the miniport must set itself, MaximumTransferLength and
 * NumberOfPhysicalBreaks, are left at SP_UNINITIALIZED_VALUE. */
void port_config_defaults(PPORT_CONFIGURATION_INFORMATION c, ACCESS_RANGE *range,
                          const struct port_hw *hw,
                          const HW_INITIALIZATION_DATA *init);

#endif /* STORSIM_PORT_CONFIG_H */
