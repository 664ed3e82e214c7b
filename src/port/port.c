/* port.c: the common part of every port driver: request ids, request
 * state in the trace, completion bookkeeping (see include/storsim/port.h).
 */
#include <errno.h>

#include <storport.h>

#include "storsim/port.h"
#include "storsim/sim.h"

/* Request ids are global so that two adapters never reuse one in a trace;
 * reset with the machine (ids restart at 1 in each run). */
static uint32_t next_id;
static uint64_t id_machine;

const char *
port_srb_state_name(enum port_srb_state s)
{
    static const char *const names[PORT_SRB_STATE_COUNT] = {
        [PORT_SRB_QUEUED] = "queued", [PORT_SRB_BUILDIO] = "BuildIo",
        [PORT_SRB_STARTIO] = "StartIo", [PORT_SRB_ON_HBA] = "on HBA",
        [PORT_SRB_NOTIFIED] = "notified", [PORT_SRB_DPC] = "DPC",
        [PORT_SRB_COMPLETED] = "completed",
    };
    return (unsigned)s < PORT_SRB_STATE_COUNT ? names[s] : "?";
}

/* The function, LUN and opcode a SIM_EV_SRB event carries, so that a
 * breakpoint on an opcode or a LUN needs nothing but the trace. */
static uint64_t
describe(PVOID srb)
{
    UCHAR function = (UCHAR)SrbGetSrbFunction(srb), lun = 0;
    const UCHAR *cdb = function == SRB_FUNCTION_EXECUTE_SCSI
                           ? (const UCHAR *)SrbGetCdb(srb) : NULL;

    SrbGetPathTargetLun(srb, NULL, NULL, &lun);
    return (uint64_t)function | (uint64_t)lun << 8 |
           (uint64_t)(cdb != NULL ? cdb[0] : 0) << 16;
}

/* Worked out once per request (each submission has an id of its own), not
 * once per state: function, LUN and opcode do not change on the way. */
void
port_set_state(struct port_request *req, enum port_srb_state state)
{
    req->state = state;
    if (req->desc_id != req->id) {
        req->desc = (uint32_t)describe(req->srb);
        req->desc_id = req->id;
    }
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_SRB, .arg = state, .arg2 = req->desc,
        .srb = req->id, .detail = port_srb_state_name(state) });
}

uint32_t
port_next_id(void)
{
    /* A new machine starts the ids again, so that a run's trace does not
     * depend on what ran before it in the same process. */
    if (id_machine != sim_machine_serial()) {
        id_machine = sim_machine_serial();
        next_id = 0;
    }
    return ++next_id;
}

static void
live_add(struct port_adapter *pa, struct port_request *req)
{
    req->live_prev = NULL;
    req->live_next = pa->live;
    if (pa->live != NULL)
        pa->live->live_prev = req;
    pa->live = req;
    req->live = true;
}

static void
live_del(struct port_adapter *pa, struct port_request *req)
{
    if (!req->live)
        return;
    if (req->live_prev != NULL)
        req->live_prev->live_next = req->live_next;
    else
        pa->live = req->live_next;
    if (req->live_next != NULL)
        req->live_next->live_prev = req->live_prev;
    req->live = false;
}

void
port_accept(struct port_adapter *pa, struct port_request *req)
{
    req->id = port_next_id();
    req->submitted = sim_now();
    req->cpu = sim_cpu_current();
    req->retries = 0;
    req->resets = 0;
    pa->submitted++;
    pa->outstanding++;
    if (pa->outstanding > pa->outstanding_max)
        pa->outstanding_max = pa->outstanding;
    live_del(pa, req);        /* submitted twice: once in the list */
    live_add(pa, req);
}

int
port_submit(struct port_adapter *pa, struct port_request *req)
{
    int rc;

    if (!pa->ready || req == NULL || req->srb == NULL || req->complete == NULL)
        return -EINVAL;
    port_accept(pa, req);
    rc = pa->ops->submit(pa, req);
    if (rc < 0) {             /* refused: it never was in flight */
        live_del(pa, req);
        pa->submitted--;
        pa->outstanding--;
    }
    return rc;
}

void
port_complete(struct port_adapter *pa, struct port_request *req)
{
    port_set_state(req, PORT_SRB_COMPLETED);
    pa->completed++;
    pa->outstanding--;
    live_del(pa, req);
    req->complete(req, req->ctx);
}

const struct port_request *
port_request_next(const struct port_adapter *pa,
                  const struct port_request *req)
{
    return req == NULL ? pa->live : req->live_next;
}

enum port_srb_state
port_request_state(const struct port_request *req)
{
    return req->state;
}

sim_time_t
port_request_submitted(const struct port_request *req)
{
    return req->submitted;
}

enum port_model
port_driver_model(const void *DriverObject)
{
    /* Both port drivers pass their adapter, which starts with the common
     * struct port_adapter, as the driver object. */
    return ((const struct port_adapter *)DriverObject)->model;
}
