/* mp_verify.c: simulation only -- tells storsim's verifier the layout of
 * MP_DEVICE_EXTENSION, so that a write by HwStorBuildIo to shared state is
 * reported with the field's name (rule buildio-shared-write). No field is
 * "unique": this miniport keeps nothing per CPU in its device extension,
 * so HwStorBuildIo may write none of it.
 */
#include <stddef.h>

#include "miniport/mp.h"
#include "storsim/verifier.h"

#define F(name) { #name, offsetof(MP_DEVICE_EXTENSION, name), \
                  sizeof(((MP_DEVICE_EXTENSION *)0)->name), false }

static const struct verifier_field fields[] = {
    F(Regs), F(ReqRing), F(CmplRing), F(QueueDepth), F(MaxSg), F(CmplSize),
    F(FullDuplex), F(Storport), F(Pio), F(AutoSense), F(IntrMask), F(Options),
    F(ReqProd), F(CmplCons), F(Done), F(DoneHead), F(DoneTail), F(Slots),
    F(CompletionDpc), F(Active), F(NextRequestOwed), F(NextHwTag), F(PioSrb),
    F(PioBytes), F(PioIn), F(SharedBuildIoCount), F(BugCounter),
};

void
MpDeclareExtensionLayout(PMP_DEVICE_EXTENSION DevExt)
{
    verifier_watch_extension(DevExt, sizeof *DevExt, fields,
                             sizeof fields / sizeof fields[0]);
}
