/* vf_int.h: the verifier's private declarations. */
#ifndef STORSIM_VF_INT_H
#define STORSIM_VF_INT_H

#include "storsim/sim.h"
#include "storsim/verifier.h"

extern struct verifier_rule vf_rules[];
extern const size_t vf_nrules;
struct verifier_rule *vf_rule(const char *id);

/* extension.c */
void vf_ext_event(const struct sim_trace_event *ev);
void vf_ext_switch(int cpu, bool in, void *ctx);
void vf_ext_reset(void);

#endif /* STORSIM_VF_INT_H */
