/* hba_pio.c - the SIMHBA PIO channel: data moved one ULONG at a time by the CPU. */
/*
 * Interface: hba_pio_begin() for a command with SIMHBA_REQ_F_PIO;
 * hba_pio_ready() when it may join the channel queue; hba_pio_read(),
 * hba_pio_write(), hba_pio_end() and hba_pio_status() behind the PIO_DATA,
 * PIO_CONTROL and PIO_STATUS registers; hba_pio_abort_all() for resets.
 *
 * The protocol (docs/simhba.md section 5): there is one channel. A PIO
 * command gets it when its data is ready: for data-in once the disk has
 * produced the data (after its service time), for data-out as soon as the
 * firmware has taken the command. Getting the channel raises PIO_READY;
 * the driver reads PIO_TAG and PIO_STATUS, then moves PIO_STATUS.REMAINING
 * bytes through PIO_DATA, four per access, little-endian, the last access
 * carrying the odd bytes in its low end. When the last byte has moved (or
 * the driver writes PIO_CONTROL.END), the channel passes to the next
 * command and this one completes through the completion ring as usual:
 * data-in at once, data-out after the disk has written the data.
 */
#include <stdlib.h>
#include <string.h>

#include "hba/hba_int.h"

static void
grant(struct hba *h)
{
    struct hba_cmd *cmd = h->pio_head;

    if (h->pio_cur != NULL || cmd == NULL)
        return;
    h->pio_head = cmd->next;
    if (h->pio_head == NULL)
        h->pio_tail = NULL;
    cmd->next = NULL;
    cmd->state = CMD_PIO;
    h->pio_cur = cmd;
    hba_trace_device(h, "pio-ready", cmd->d.tag, cmd->pio_len);
    hba_intr_raise(h, SIMHBA_INTR_PIO_READY);
}

void
hba_pio_ready(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;

    cmd->state = CMD_PIO_WAIT;
    cmd->next = NULL;
    if (h->pio_tail != NULL)
        h->pio_tail->next = cmd;
    else
        h->pio_head = cmd;
    h->pio_tail = cmd;
    grant(h);
}

void
hba_pio_begin(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    struct scsi_disk_result res;
    struct scsi_disk_iov iov;
    sim_time_t start = hba_fw_slot(h);

    cmd->c.flags |= SIMHBA_CMPL_F_PIO;
    cmd->pio_buf = malloc(cmd->d.data_length);
    cmd->pio_pos = 0;
    cmd->pio_len = cmd->d.data_length;
    cmd->state = CMD_PIO_PREP;
    if (cmd->pio_buf == NULL) {
        hba_cmd_finish(cmd, SIMHBA_CS_INVALID_REQUEST, start);
        return;
    }
    if (cmd->d.direction == SIMHBA_DIR_OUT) {
        sim_event_schedule(&cmd->ev, start);
        return;
    }
    iov = (struct scsi_disk_iov){ cmd->pio_buf, cmd->d.data_length };
    hba_cmd_exec(cmd, &iov, 1, &res);
    hba_dma_sense(cmd, &res);
    hba_cmd_result(cmd, &res);
    cmd->pio_len = (uint32_t)res.transferred;
    if (cmd->pio_len == 0)
        cmd->state = CMD_RUNNING;   /* nothing to move: just complete */
    sim_event_schedule(&cmd->ev, start + res.service_ns);
}

/* The driver is done with the channel: move on, complete this command. */
static void
release_channel(struct hba *h, struct hba_cmd *cmd, sim_time_t done_at)
{
    h->pio_cur = NULL;
    h->st.pio_bytes += cmd->pio_pos;
    cmd->state = CMD_RUNNING;
    sim_event_schedule(&cmd->ev, done_at);
    grant(h);
}

static void
in_done(struct hba *h, struct hba_cmd *cmd)
{
    cmd->c.residual = cmd->d.data_length - cmd->pio_pos;
    if (cmd->c.residual != 0)
        cmd->c.flags |= SIMHBA_CMPL_F_UNDERRUN;
    release_channel(h, cmd, sim_now());
}

static void
out_done(struct hba *h, struct hba_cmd *cmd)
{
    struct scsi_disk_result res;
    struct scsi_disk_iov iov = { cmd->pio_buf, cmd->pio_pos };

    hba_cmd_exec(cmd, &iov, cmd->pio_pos ? 1 : 0, &res);
    hba_dma_sense(cmd, &res);
    hba_cmd_result(cmd, &res);
    /* The disk saw only what arrived; the rest is residual too. */
    cmd->c.residual = cmd->d.data_length - (uint32_t)res.transferred;
    if (cmd->c.residual != 0)
        cmd->c.flags |= SIMHBA_CMPL_F_UNDERRUN;
    release_channel(h, cmd, sim_now() + res.service_ns);
}

static struct hba_cmd *
channel(struct hba *h, uint8_t dir)
{
    struct hba_cmd *cmd = h->pio_cur;

    if (cmd == NULL || cmd->d.direction != dir || cmd->pio_pos >= cmd->pio_len) {
        h->st.pio_errors++;
        return NULL;
    }
    return cmd;
}

uint32_t
hba_pio_read(struct hba *h)
{
    struct hba_cmd *cmd = channel(h, SIMHBA_DIR_IN);
    uint32_t v = 0, n;

    if (cmd == NULL)
        return 0xFFFFFFFFu;
    n = cmd->pio_len - cmd->pio_pos < 4 ? cmd->pio_len - cmd->pio_pos : 4;
    memcpy(&v, cmd->pio_buf + cmd->pio_pos, n);   /* little-endian host */
    cmd->pio_pos += n;
    if (cmd->pio_pos == cmd->pio_len)
        in_done(h, cmd);
    return v;
}

void
hba_pio_write(struct hba *h, uint32_t v)
{
    struct hba_cmd *cmd = channel(h, SIMHBA_DIR_OUT);
    uint32_t n;

    if (cmd == NULL)
        return;
    n = cmd->pio_len - cmd->pio_pos < 4 ? cmd->pio_len - cmd->pio_pos : 4;
    memcpy(cmd->pio_buf + cmd->pio_pos, &v, n);
    cmd->pio_pos += n;
    if (cmd->pio_pos == cmd->pio_len)
        out_done(h, cmd);
}

void
hba_pio_end(struct hba *h)
{
    struct hba_cmd *cmd = h->pio_cur;

    if (cmd == NULL) {
        h->st.pio_errors++;
        return;
    }
    if (cmd->d.direction == SIMHBA_DIR_IN)
        in_done(h, cmd);
    else
        out_done(h, cmd);
}

uint32_t
hba_pio_status(const struct hba *h)
{
    const struct hba_cmd *cmd = h->pio_cur;

    if (cmd == NULL)
        return 0;
    return ((cmd->pio_len - cmd->pio_pos) & 0xFFFFFFu) | SIMHBA_PIO_ACTIVE |
           (cmd->d.direction == SIMHBA_DIR_IN ? SIMHBA_PIO_DIR_IN : 0);
}

/* A reset takes the channel away; the reset completes the commands. */
void
hba_pio_abort_all(struct hba *h)
{
    h->pio_cur = NULL;
    h->pio_head = h->pio_tail = NULL;
}
