"""Source text of the compiled integrators, joined to each model's generated ``rhs_block``.

The text below is written, together with the model's traced right-hand side
(:mod:`neuroendo.simulation._numba_codegen`), into one Python file per model in a cache
directory and imported from there, so numba can cache the machine code on disk
(``cache=True``). Nothing here is model-specific.

Integrators
-----------
``dopri5``
    Dormand & Prince (1980) explicit Runge-Kutta 5(4), FSAL, error control on the embedded
    4th-order solution (RMS norm of ``err / (atol + rtol·max(|y0|, |y1|))``), step factor
    ``0.9·err^(-1/5)`` clipped to [0.2, 10], Hairer's initial-step heuristic, and the
    4th-order continuous extension of Hairer, Nørsett & Wanner (dense output) at the requested
    times. Subjects run in lockstep blocks of ``LANES`` lanes (arrays ``(n_states, LANES)``),
    each lane with its own time, step size, segment and status; blocks are spread over cores
    with ``prange``.
``rosenbrock``
    Shampine's (1982) four-stage L(α)-stable Rosenbrock method of order 4(3) (γ = 1/2, three
    right-hand-side evaluations and one LU factorisation per step), with the exact Jacobian of
    the traced graph and a forward finite difference for ∂f/∂t; cubic Hermite dense output;
    one subject per ``prange`` iteration.

Both integrate segment by segment between "cuts" (the start, every input breakpoint, the end),
never stepping across one; input schedules are evaluated with the stage time clamped into the
current segment ``[a, b)`` (the upper end moved down by one ulp), so a stage at ``b`` sees the
left limit of a discontinuous input and a pulse that starts at ``b`` is seen only after the
restart.

Status codes: 0 ok, 1 too many steps, 2 step size too small, 3 non-finite state, 4 singular
matrix (Rosenbrock).
"""

from __future__ import annotations

__all__ = ["KERNEL_SOURCE"]

KERNEL_SOURCE = r'''
DP_C = np.array([0.2, 0.3, 0.8, 8.0 / 9.0, 1.0])
# per-lane control rows of the DOPRI5 block, each LANES wide: floats after the generated
# workspace rows (ST_NW), integers (flags as 0/1) in one int64 array. With every per-step loop
# reading and writing rows of these two arrays at constant offsets, LLVM sees fixed dependence
# distances (multiples of LANES) and vectorises the loops; with a dozen separate arrays it
# gives up on run-time alias checks and leaves them scalar.
XH = ST_NW
XTNEW = ST_NW + LANES
XFAC = ST_NW + 2 * LANES
XBND = ST_NW + 3 * LANES
XNW = ST_NW + 4 * LANES
IC_DONE = 0
IC_ACC = LANES
IC_REJ = 2 * LANES
IC_HIT = 3 * LANES
IC_SEG = 4 * LANES
IC_NSTEP = 5 * LANES
IC_CODE = 6 * LANES
IC_RESTART = 7 * LANES
IC_NONFIN = 8 * LANES
IC_IOUT = 9 * LANES
IC_N = 10 * LANES
OY = LANES
OP = OY + N_STATES * LANES
OU = OP + N_PARAMS * LANES
OD = OU + N_INPUTS * LANES
NW = OD + N_STATES * LANES
OY1 = 1
OP1 = OY1 + N_STATES
OU1 = OP1 + N_PARAMS
OD1 = OU1 + N_INPUTS
NW1 = OD1 + N_STATES


@njit(cache=True, error_model="numpy")
def rhs_lanes(w, ts, yy, u, dy):
    nl = ts.size
    for l in range(nl):
        w[l] = ts[l]
    for i in range(N_STATES):
        for l in range(nl):
            w[OY + i * LANES + l] = yy[i, l]
    for k in range(N_INPUTS):
        for l in range(nl):
            w[OU + k * LANES + l] = u[k, l]
    rhs_block(w, nl)
    for i in range(N_STATES):
        for l in range(nl):
            dy[i, l] = w[OD + i * LANES + l]


@njit(cache=True, error_model="numpy")
def rhs_one(w, ts, yy, u, dy):
    w[0] = ts[0]
    for i in range(N_STATES):
        w[OY1 + i] = yy[i, 0]
    for k in range(N_INPUTS):
        w[OU1 + k] = u[k, 0]
    rhs_single(w, ts.size)
    for i in range(N_STATES):
        dy[i, 0] = w[OD1 + i]


@njit(cache=True, error_model="numpy")
def eval_leaf(tau, s, j, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata):
    kind = leaf_kind[j]
    off = leaf_off[j]
    m = leaf_m[j]
    if kind == 0:
        return sdata[s, leaf_soff[j]]
    if kind == 1:
        period = data[off]
        periodic = period < np.inf
        tm = tau
        if periodic:
            tm = tau - math.floor(tau / period) * period
        lo = 0
        hi = m
        while lo < hi:
            mid = (lo + hi) // 2
            if data[off + 2 + mid] <= tm:
                lo = mid + 1
            else:
                hi = mid
        idx = lo - 1
        if idx < 0:
            if periodic:
                return data[off + 2 + m + m - 1]
            return data[off + 1]
        return data[off + 2 + m + idx]
    if kind == 2:
        if tau <= data[off]:
            return data[off + m]
        if tau >= data[off + m - 1]:
            return data[off + m + m - 1]
        lo = 0
        hi = m
        while lo < hi:
            mid = (lo + hi) // 2
            if data[off + mid] <= tau:
                lo = mid + 1
            else:
                hi = mid
        j0 = lo - 1
        x0 = data[off + j0]
        x1 = data[off + j0 + 1]
        v0 = data[off + m + j0]
        v1 = data[off + m + j0 + 1]
        slope = (v1 - v0) / (x1 - x0)
        return slope * (tau - x0) + v0
    if kind == 3:
        period = data[off]
        so = leaf_soff[j]
        w = 2.0 * np.pi / period
        acc = sdata[s, so]
        for k in range(m):
            ph = sdata[s, so + 1 + m + k]
            acc = acc + sdata[s, so + 1 + k] * math.cos((k + 1) * w * (tau - ph))
        return acc
    # kind == 4: bumps
    shape = data[off]
    acc = 0.0
    for k in range(m):
        sc = (tau - data[off + 1 + k]) / data[off + 1 + m + k]
        lev = data[off + 1 + 2 * m + k]
        f = 0.0
        if shape == 0.0:
            if sc >= 0.0 and sc < 1.0:
                f = 1.0
        elif shape == 2.0:
            if sc >= 0.0 and sc < 1.0:
                f = math.sin(np.pi * sc) ** 2
        else:
            if sc > 0.0 and sc < 1.0:
                x = 2.0 * sc - 1.0
                f = math.exp(1.0 - 1.0 / (1.0 - x * x))
        acc += f * lev
    return acc


@njit(cache=True, error_model="numpy")
def eval_input(tau, s, k, prog, prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata,
               stack):
    sp = 0
    i = prog_ptr[k]
    end = prog_ptr[k + 1]
    while i < end:
        op = prog[i]
        arg = prog[i + 1]
        i += 2
        if op == 0:
            stack[sp] = eval_leaf(tau, s, arg, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata)
            sp += 1
        else:
            base = sp - arg
            acc = stack[base]
            for q in range(1, arg):
                if op == 1:
                    acc = acc + stack[base + q]
                else:
                    acc = acc * stack[base + q]
            stack[base] = acc
            sp = base + 1
    return stack[0]


@njit(cache=True, error_model="numpy")
def eval_inputs_grid(times, subjects, prog, prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m,
                     data, sdata, stack_size, n_inputs):
    """Values of every input at ``times`` for ``subjects`` (testing the in-kernel evaluator)."""
    out = np.empty((n_inputs, subjects.size, times.size))
    stack = np.empty(stack_size)
    for k in range(n_inputs):
        for a in range(subjects.size):
            for b in range(times.size):
                out[k, a, b] = eval_input(times[b], subjects[a], k, prog, prog_ptr, leaf_kind,
                                          leaf_off, leaf_soff, leaf_m, data, sdata, stack)
    return out


@njit(cache=True, error_model="numpy")
def lane_inputs(ts, seg, subj, nl, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw, u, prog,
                prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack):
    if timed.size == 0:
        return
    tau = stack[stack.size - nl:]  # scratch: stage times clamped into each lane's segment
    for l in range(nl):
        tau[l] = min(max(ts[l], cuts[seg[l]]), cuts_prev[seg[l] + 1])
    for q in range(timed.size):
        k = timed[q]
        if harm[k] >= 0:
            # a single harmonic leaf: vectorised over lanes (per-lane offsets, amplitudes, phases)
            for l in range(nl):
                u[k, l] = hoff[k, l]
            for j in range(harm[k]):
                c = (j + 1) * hw[k]
                for l in range(nl):
                    u[k, l] = u[k, l] + hamp[k, j, l] * fast_cos(c * (tau[l] - hph[k, j, l]))
        else:
            for l in range(nl):
                u[k, l] = eval_input(tau[l], subj[l], k, prog, prog_ptr, leaf_kind, leaf_off,
                                     leaf_soff, leaf_m, data, sdata, stack)


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def step_factors(err, facv, nl):
    # 0.9 err^(-1/5) for every lane (by Newton steps, multiplications only; exact where the
    # caller does not clip it to [0.2, 10]); a small function of its own so that the loop
    # vectorises
    for l in range(nl):
        facv[l] = 0.9 * fast_rroot5(err[l])


@njit(cache=True, error_model="numpy")
def set_segment_inputs(segc, u, us):
    # inputs constant between breakpoints take their value at the segment start (in ``u``) at
    # every stage time of the segment
    for k in range(segc.size):
        if segc[k]:
            for q in range(us.shape[0]):
                for l in range(u.shape[1]):
                    us[q, k, l] = u[k, l]


@njit(cache=True, error_model="numpy")
def harm_setup(subj, nl, harm, prog, prog_ptr, leaf_off, leaf_soff, leaf_m, data, sdata):
    nu = harm.size
    kmax = 1
    for k in range(nu):
        kmax = max(kmax, harm[k])
    hoff = np.zeros((max(nu, 1), nl))
    hamp = np.zeros((max(nu, 1), kmax, nl))
    hph = np.zeros((max(nu, 1), kmax, nl))
    hw = np.zeros(max(nu, 1))
    for k in range(nu):
        if harm[k] < 0:
            continue
        j = prog[prog_ptr[k] + 1]
        so = leaf_soff[j]
        m = leaf_m[j]
        hw[k] = 2.0 * np.pi / data[leaf_off[j]]
        for l in range(nl):
            s = subj[l]
            hoff[k, l] = sdata[s, so]
            for q in range(m):
                hamp[k, q, l] = sdata[s, so + 1 + q]
                hph[k, q, l] = sdata[s, so + 1 + m + q]
    return hoff, hamp, hph, hw


@njit(cache=True, error_model="numpy")
def dopri5_block(blk, tout, cuts, cuts_prev, y0, params, timed, harm, const_soff, prog,
                 prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack_size, rtol,
                 atol, max_step, max_steps, out, status, fail_t, lanes):
    # the lane count arrives at run time (= LANES): literal trip counts would be unrolled and
    # left scalar, run-time ones go to LLVM's loop vectoriser
    L = lanes
    n = y0.shape[0]
    nsub = y0.shape[1]
    npar = params.shape[0]
    nu = const_soff.size
    nt = tout.size
    ncut = cuts.size
    s0 = blk * L
    nl = min(L, nsub - s0)
    subj = np.empty(L, np.int64)
    for l in range(L):
        subj[l] = s0 + min(l, nl - 1)
    # one flat workspace for the fused step (literal row offsets, see dopri_stages); the
    # control code below works on 2-D views of its rows
    ws = np.zeros(XNW)
    ic = np.zeros(IC_N, np.int64)
    nuw = max(nu, 1)
    y = ws[ST_Y:ST_Y + n * L].reshape((n, L))
    k1 = ws[ST_K1:ST_K1 + n * L].reshape((n, L))
    k7 = ws[ST_K7:ST_K7 + n * L].reshape((n, L))
    yn = ws[ST_YN:ST_YN + n * L].reshape((n, L))
    p = ws[ST_P:ST_P + npar * L].reshape((npar, L))
    us = ws[ST_US:ST_US + 5 * nuw * L].reshape((5, nuw, L))
    t = ws[ST_T:ST_T + L]
    hs = ws[ST_H:ST_H + L]
    err = ws[ST_ERR:ST_ERR + L]
    yt = np.empty((n, L))
    k2 = np.empty((n, L))
    u = np.zeros((max(nu, 1), L))
    ts = np.empty(L)
    h = ws[XH:XH + L]
    tnew = ws[XTNEW:XTNEW + L]
    facv = ws[XFAC:XFAC + L]
    bnd = ws[XBND:XBND + L]
    # outputs of the block's lanes, in cache while integrating; copied to ``out`` at the end
    ob = np.empty((n, L, nt))
    accm = ic[IC_ACC:IC_ACC + L]
    seg = ic[IC_SEG:IC_SEG + L]
    iout = ic[IC_IOUT:IC_IOUT + L]
    done = ic[IC_DONE:IC_DONE + L]
    restart = ic[IC_RESTART:IC_RESTART + L]
    code = ic[IC_CODE:IC_CODE + L]
    stack = np.empty(stack_size + L)
    w = np.zeros(NW)
    for j in range(npar):
        for l in range(L):
            w[OP + j * L + l] = params[j, subj[l]]
    hoff, hamp, hph, hw = harm_setup(subj, L, harm, prog, prog_ptr, leaf_off, leaf_soff, leaf_m,
                                     data, sdata)
    # single-harmonic inputs go through the vectorised harm_fill; the rest through lane_inputs
    fast = np.zeros(nuw, np.bool_)
    segc = np.zeros(nuw, np.bool_)  # constant between breakpoints: set at each segment start
    nslow = 0
    for q in range(timed.size):
        k = timed[q]
        if harm[k] == -2:
            segc[k] = True
        elif harm[k] == 1:
            fast[k] = True
            for l in range(L):
                ws[ST_HOFF + k * L + l] = hoff[k, l]
                ws[ST_HAMP + k * L + l] = hamp[k, 0, l]
                ws[ST_HPH + k * L + l] = hph[k, 0, l]
                ws[ST_HW + k * L + l] = hw[k]
    nslow = 0
    for q in range(timed.size):
        if not fast[timed[q]] and not segc[timed[q]]:
            nslow += 1
    slow = np.empty(nslow, np.int64)
    nslow = 0
    for q in range(timed.size):
        if not fast[timed[q]] and not segc[timed[q]]:
            slow[nslow] = timed[q]
            nslow += 1
    for l in range(L):
        s = subj[l]
        t[l] = cuts[0]
        for i in range(n):
            y[i, l] = y0[i, s]
        for j in range(npar):
            p[j, l] = params[j, s]
        for k in range(nu):
            if const_soff[k] >= 0:
                u[k, l] = sdata[s, const_soff[k]]
                for q in range(5):
                    us[q, k, l] = u[k, l]
        while iout[l] < nt and tout[iout[l]] <= cuts[0]:
            if l < nl:
                for i in range(n):
                    ob[i, l, iout[l]] = y[i, l]
            iout[l] += 1
        if iout[l] >= nt or ncut < 2:
            done[l] = True
        if l >= nl:
            done[l] = True
    # initial derivative and step size (Hairer's heuristic)
    lane_inputs(t, seg, subj, L, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw, u, prog,
                prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack)
    set_segment_inputs(segc, u, us)
    rhs_lanes(w, t, y, u, k1)
    for l in range(L):
        d0 = 0.0
        d1 = 0.0
        for i in range(n):
            sc = atol + rtol * abs(y[i, l])
            d0 += (y[i, l] / sc) ** 2
            d1 += (k1[i, l] / sc) ** 2
        d0 = math.sqrt(d0 / n)
        d1 = math.sqrt(d1 / n)
        if d0 < 1e-5 or d1 < 1e-5:
            h0 = 1e-6
        else:
            h0 = 0.01 * d0 / d1
        span = cuts[ncut - 1] - cuts[0]
        if h0 > span:
            h0 = span
        if h0 <= 0.0:
            h0 = 1e-6
        h[l] = h0
        ts[l] = t[l] + h0
        for i in range(n):
            yt[i, l] = y[i, l] + h0 * k1[i, l]
    lane_inputs(ts, seg, subj, L, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw, u, prog,
                prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack)
    rhs_lanes(w, ts, yt, u, k2)
    for l in range(L):
        h0 = h[l]
        d1 = 0.0
        d2 = 0.0
        for i in range(n):
            sc = atol + rtol * abs(y[i, l])
            d1 += (k1[i, l] / sc) ** 2
            d2 += ((k2[i, l] - k1[i, l]) / sc) ** 2
        d1 = math.sqrt(d1 / n)
        d2 = math.sqrt(d2 / n) / h0
        dm = max(d1, d2)
        if dm <= 1e-15:
            h1 = max(1e-6, h0 * 1e-3)
        else:
            h1 = (0.01 / dm) ** 0.2
        h[l] = min(100.0 * h0, h1, max_step)
    # lanes the per-step loops run over: the block's subjects rounded up to a multiple of 8 (a
    # vector of float64), so a small last block (or a single subject) does not pay for LANES
    V = min(L, (nl + 7) // 8 * 8)
    ndone = 0
    for l in range(V):
        # the end of each lane's current segment (updated when a lane enters a new one), so
        # the per-step loops read no table by a per-lane index
        bnd[l] = cuts[min(seg[l] + 1, ncut - 1)]
        ndone += done[l]
    while ndone < V:
        for l in range(V):
            hl = min(ws[XH + l], max_step)
            tl = ws[ST_T + l]
            bl = ws[XBND + l]
            hitl = tl + 1.01 * hl >= bl
            hl = bl - tl if hitl else hl
            dn = ic[IC_DONE + l] != 0
            ws[ST_H + l] = 0.0 if dn else hl
            ic[IC_HIT + l] = hitl and not dn
        # inputs at the five distinct stage times (they depend on time only), then the whole
        # step (stages 2-7, 5th-order solution, error norm) fused in one vectorised loop
        if slow.size > 0:
            for q in range(5):
                for l in range(V):
                    ts[l] = t[l] + DP_C[q] * hs[l]
                lane_inputs(ts, seg, subj, V, cuts, cuts_prev, slow, harm, hoff, hamp, hph, hw,
                            us[q], prog, prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m, data,
                            sdata, stack)
        harm_fill(ws, V, fast)
        dopri_stages(ws, V, rtol, atol)
        # step-size factor 0.9 err^(-1/5) in its own vectorised loop (a libm pow per lane cost
        # ~15 % of the run, exp(log) ~11 %: the Newton root of fast_rroot5 ~3 %)
        step_factors(err, facv, V)
        # step control, branch-free over lanes (vectorised): acceptance, next step size, end time
        for l in range(V):
            el = ws[ST_ERR + l]  # RMS norm from dopri_stages (NaN if the state is not finite)
            bad = not (abs(el) < np.inf)
            el = 1e10 if bad else el
            live = ic[IC_DONE + l] == 0
            acc = (el <= 1.0) and live
            fac = 0.2 if bad else min(10.0, max(0.2, ws[XFAC + l]))  # el = 0: inf -> 10
            hl = ws[ST_H + l]
            # no growth right after a rejected step
            hacc = hl * (min(fac, 1.0) if ic[IC_REJ + l] != 0 else fac)
            hitl = ic[IC_HIT + l] != 0
            hold = ws[XH + l]
            hacc = max(hacc, hold) if hitl else hacc
            ws[XH + l] = hacc if acc else (hl * fac if live else hold)
            tl = ws[ST_T + l]
            bl = ws[XBND + l]
            ws[XTNEW + l] = bl if hitl else tl + hl
            ic[IC_ACC + l] = acc
            ic[IC_NONFIN + l] = bad
        # dense output at the requested times inside the accepted steps (generated, unrolled)
        dense_fill(ws, ob, tout, iout, accm, tnew, nt, V)
        # bookkeeping, branch-free over lanes: time, segment, end, failures (codes 1-3; rare,
        # recorded in the loop after)
        nfail = 0
        nrestart = 0
        ndone = 0
        for l in range(V):
            dn = ic[IC_DONE + l] != 0
            live = not dn
            a = ic[IC_ACC + l] != 0
            ns = ic[IC_NSTEP + l] + live
            ic[IC_NSTEP + l] = ns
            tn = ws[XTNEW + l]
            to = ws[ST_T + l]
            tl = tn if a else to
            ws[ST_T + l] = tl
            ic[IC_REJ + l] = live and not a
            adv = a and ic[IC_HIT + l] != 0
            sg = ic[IC_SEG + l] + adv
            ic[IC_SEG + l] = sg
            fin = adv and sg >= ncut - 1
            rs = adv and not fin
            tiny = live and not a and ws[XH + l] < 1e-14 * max(abs(tl), 1.0)
            over = live and not fin and not tiny and ns >= max_steps
            c = (3 if ic[IC_NONFIN + l] != 0 else 2) if tiny else (1 if over else 0)
            ic[IC_CODE + l] = c
            dl = dn or fin or tiny or over
            ic[IC_DONE + l] = dl
            ic[IC_RESTART + l] = rs
            nfail += c > 0
            nrestart += rs
            ndone += dl
        if nfail > 0:
            for l in range(V):
                if code[l] > 0:
                    status[subj[l]] = code[l]
                    fail_t[subj[l]] = t[l]
        # accepted lanes move to the new state; FSAL: the last stage is the next first one
        for i in range(n):
            for l in range(V):
                a = ic[IC_ACC + l] != 0
                o = i * LANES + l
                yv = ws[ST_Y + o]
                ynv = ws[ST_YN + o]
                ws[ST_Y + o] = ynv if a else yv
                kv = ws[ST_K1 + o]
                k7v = ws[ST_K7 + o]
                ws[ST_K1 + o] = k7v if a else kv
        if nrestart > 0:
            # lanes entering a new segment: its end, and the derivative with the inputs of the
            # new segment (a discontinuous input changes it)
            for l in range(V):
                if restart[l]:
                    bnd[l] = cuts[seg[l] + 1]
            lane_inputs(t, seg, subj, V, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw, u,
                        prog, prog_ptr, leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata,
                        stack)
            rhs_lanes(w, t, y, u, k2)
            set_segment_inputs(segc, u, us)
            for l in range(V):
                if restart[l]:
                    for i in range(n):
                        k1[i, l] = k2[i, l]
                    restart[l] = False
    # copy the block's outputs (row by row, contiguous); ``out`` arrives uninitialised: times
    # never reached (and failed subjects) become NaN
    for l in range(nl):
        s = subj[l]
        last = 0 if status[s] != 0 else iout[l]
        for i in range(n):
            for q in range(last):
                out[i, s, q] = ob[i, l, q]
            for q in range(last, nt):
                out[i, s, q] = np.nan


@njit(cache=True, error_model="numpy", parallel=True)
def solve_dopri5(tout, cuts, cuts_prev, y0, params, timed, harm, const_soff, prog, prog_ptr,
                 leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack_size, rtol, atol,
                 max_step, max_steps, out, status, fail_t, lanes):
    nsub = y0.shape[1]
    nblk = (nsub + lanes - 1) // lanes
    for blk in prange(nblk):
        dopri5_block(blk, tout, cuts, cuts_prev, y0, params, timed, harm, const_soff, prog,
                     prog_ptr,
                     leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack_size, rtol, atol,
                     max_step, max_steps, out, status, fail_t, lanes)


@njit(cache=True, error_model="numpy")
def lu_factor(a, piv):
    n = a.shape[0]
    for k in range(n):
        m = k
        big = abs(a[k, k])
        for i in range(k + 1, n):
            if abs(a[i, k]) > big:
                big = abs(a[i, k])
                m = i
        piv[k] = m
        if big == 0.0 or not math.isfinite(big):
            return False
        if m != k:
            for j in range(n):
                tmp = a[k, j]
                a[k, j] = a[m, j]
                a[m, j] = tmp
        inv = 1.0 / a[k, k]
        for i in range(k + 1, n):
            f = a[i, k] * inv
            a[i, k] = f
            if f != 0.0:
                for j in range(k + 1, n):
                    a[i, j] -= f * a[k, j]
    return True


@njit(cache=True, error_model="numpy")
def lu_solve(a, piv, b):
    n = a.shape[0]
    for k in range(n):
        m = piv[k]
        if m != k:
            tmp = b[k]
            b[k] = b[m]
            b[m] = tmp
    for i in range(n):
        acc = b[i]
        for j in range(i):
            acc -= a[i, j] * b[j]
        b[i] = acc
    for i in range(n - 1, -1, -1):
        acc = b[i]
        for j in range(i + 1, n):
            acc -= a[i, j] * b[j]
        b[i] = acc / a[i, i]


@njit(cache=True, error_model="numpy")
def rosenbrock_one(s, tout, cuts, cuts_prev, y0, params, timed, harm, const_soff, prog, prog_ptr,
                   leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack_size, rtol, atol,
                   max_step, max_steps, out, status, fail_t):
    # Shampine (1982) parameter set, gamma = 1/2
    gam = 0.5
    a21 = 2.0
    a31 = 48.0 / 25.0
    a32 = 6.0 / 25.0
    c21 = -8.0
    c31 = 372.0 / 25.0
    c32 = 12.0 / 5.0
    c41 = -112.0 / 125.0
    c42 = -54.0 / 125.0
    c43 = -2.0 / 5.0
    b1 = 19.0 / 9.0
    b2 = 0.5
    b3 = 25.0 / 108.0
    b4 = 125.0 / 108.0
    e1 = 17.0 / 54.0
    e2 = 7.0 / 36.0
    e3 = 0.0
    e4 = 125.0 / 108.0
    c1x = 0.5
    c2x = -1.5
    c3x = 121.0 / 50.0
    c4x = 29.0 / 250.0
    a2x = 1.0
    a3x = 0.6
    n = y0.shape[0]
    npar = params.shape[0]
    nu = const_soff.size
    nt = tout.size
    ncut = cuts.size
    y = np.empty((n, 1))
    yt = np.empty((n, 1))
    f0 = np.empty((n, 1))
    ft = np.empty((n, 1))
    f1 = np.empty((n, 1))
    yn = np.empty((n, 1))
    g1 = np.empty(n)
    g2 = np.empty(n)
    g3 = np.empty(n)
    g4 = np.empty(n)
    dfdt = np.empty(n)
    jac = np.empty((n, n))
    a = np.empty((n, n))
    piv = np.empty(n, np.int64)
    p = np.empty((npar, 1))
    u = np.zeros((max(nu, 1), 1))
    y1 = np.empty(n)
    p1 = np.empty(npar)
    u1 = np.empty(max(nu, 1))
    tv = np.empty(1)
    segv = np.zeros(1, np.int64)
    subj = np.full(1, s, np.int64)
    stack = np.empty(stack_size + 1)
    w = np.zeros(NW1)
    for j in range(npar):
        w[OP1 + j] = params[j, s]
    hoff, hamp, hph, hw = harm_setup(subj, 1, harm, prog, prog_ptr, leaf_off, leaf_soff, leaf_m,
                                     data, sdata)
    for i in range(n):
        y[i, 0] = y0[i, s]
    for j in range(npar):
        p[j, 0] = params[j, s]
        p1[j] = params[j, s]
    for k in range(nu):
        if const_soff[k] >= 0:
            u[k, 0] = sdata[s, const_soff[k]]
    t = cuts[0]
    iout = 0
    while iout < nt and tout[iout] <= t:
        for i in range(n):
            out[i, s, iout] = y[i, 0]
        iout += 1
    if iout >= nt or ncut < 2:
        return
    seg = 0
    h = 0.0
    nstep = 0
    need_f0 = True
    rejected = False
    while True:
        bnd = cuts[seg + 1]
        segv[0] = seg
        if need_f0:
            tv[0] = t
            lane_inputs(tv, segv, subj, 1, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw, u,
                        prog, prog_ptr, leaf_kind,
                        leaf_off, leaf_soff, leaf_m, data, sdata, stack)
            rhs_one(w, tv, y, u, f0)
            need_f0 = False
            if h == 0.0:
                d0 = 0.0
                d1 = 0.0
                for i in range(n):
                    sc = atol + rtol * abs(y[i, 0])
                    d0 += (y[i, 0] / sc) ** 2
                    d1 += (f0[i, 0] / sc) ** 2
                d0 = math.sqrt(d0 / n)
                d1 = math.sqrt(d1 / n)
                if d0 < 1e-5 or d1 < 1e-5:
                    h = 1e-6
                else:
                    h = 0.01 * d0 / d1
                h = min(h, max_step)
        # Jacobian and time derivative at (t, y), inputs clamped into the segment
        tv[0] = t
        lane_inputs(tv, segv, subj, 1, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw, u,
                        prog, prog_ptr, leaf_kind,
                    leaf_off, leaf_soff, leaf_m, data, sdata, stack)
        for i in range(n):
            y1[i] = y[i, 0]
        for k in range(nu):
            u1[k] = u[k, 0]
        jac_one(t, y1, p1, u1, jac)
        delta = 1.4901161193847656e-08 * max(abs(t), 1.0)
        tv[0] = t + delta
        lane_inputs(tv, segv, subj, 1, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw, u,
                        prog, prog_ptr, leaf_kind,
                    leaf_off, leaf_soff, leaf_m, data, sdata, stack)
        rhs_one(w, tv, y, u, ft)
        for i in range(n):
            dfdt[i] = (ft[i, 0] - f0[i, 0]) / delta
        while True:
            hl = min(h, max_step)
            hit = False
            if t + 1.01 * hl >= bnd:
                hl = bnd - t
                hit = True
            for i in range(n):
                for j in range(n):
                    a[i, j] = -jac[i, j]
                a[i, i] += 1.0 / (gam * hl)
            ok = lu_factor(a, piv)
            nstep += 1
            err = 1e10
            finite = True
            if ok:
                for i in range(n):
                    g1[i] = f0[i, 0] + hl * c1x * dfdt[i]
                lu_solve(a, piv, g1)
                for i in range(n):
                    yt[i, 0] = y[i, 0] + a21 * g1[i]
                tv[0] = t + a2x * hl
                lane_inputs(tv, segv, subj, 1, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw,
                            u, prog, prog_ptr,
                            leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack)
                rhs_one(w, tv, yt, u, ft)
                for i in range(n):
                    g2[i] = ft[i, 0] + hl * c2x * dfdt[i] + c21 * g1[i] / hl
                lu_solve(a, piv, g2)
                for i in range(n):
                    yt[i, 0] = y[i, 0] + a31 * g1[i] + a32 * g2[i]
                tv[0] = t + a3x * hl
                lane_inputs(tv, segv, subj, 1, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw,
                            u, prog, prog_ptr,
                            leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack)
                rhs_one(w, tv, yt, u, ft)
                for i in range(n):
                    g3[i] = ft[i, 0] + hl * c3x * dfdt[i] + (c31 * g1[i] + c32 * g2[i]) / hl
                lu_solve(a, piv, g3)
                for i in range(n):
                    g4[i] = (ft[i, 0] + hl * c4x * dfdt[i]
                             + (c41 * g1[i] + c42 * g2[i] + c43 * g3[i]) / hl)
                lu_solve(a, piv, g4)
                err = 0.0
                for i in range(n):
                    yn[i, 0] = y[i, 0] + b1 * g1[i] + b2 * g2[i] + b3 * g3[i] + b4 * g4[i]
                    e = e1 * g1[i] + e2 * g2[i] + e3 * g3[i] + e4 * g4[i]
                    sc = atol + rtol * max(abs(y[i, 0]), abs(yn[i, 0]))
                    err += (e / sc) ** 2
                    if not math.isfinite(yn[i, 0]):
                        finite = False
                err = math.sqrt(err / n)
                if not finite or not math.isfinite(err):
                    err = 1e10
            if err <= 1.0:
                tnew = bnd if hit else t + hl
                tv[0] = tnew
                lane_inputs(tv, segv, subj, 1, cuts, cuts_prev, timed, harm, hoff, hamp, hph, hw,
                            u, prog, prog_ptr,
                            leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack)
                rhs_one(w, tv, yn, u, f1)
                while iout < nt and tout[iout] <= tnew:
                    th = (tout[iout] - t) / hl
                    th2 = th * th
                    th3 = th2 * th
                    h00 = 2.0 * th3 - 3.0 * th2 + 1.0
                    h10 = th3 - 2.0 * th2 + th
                    h01 = -2.0 * th3 + 3.0 * th2
                    h11 = th3 - th2
                    for i in range(n):
                        out[i, s, iout] = (h00 * y[i, 0] + h10 * hl * f0[i, 0] + h01 * yn[i, 0]
                                           + h11 * hl * f1[i, 0])
                    iout += 1
                t = tnew
                for i in range(n):
                    y[i, 0] = yn[i, 0]
                    f0[i, 0] = f1[i, 0]
                if err == 0.0:
                    fac = 5.0
                else:
                    fac = min(5.0, max(0.2, 0.9 * err ** -0.25))
                if rejected:
                    fac = min(fac, 1.0)
                rejected = False
                hnew = hl * fac
                if hit:
                    hnew = max(hnew, h)
                    seg += 1
                    need_f0 = True
                h = hnew
                break
            rejected = True
            h = hl * max(0.2, 0.9 * err ** -0.25) if ok else 0.25 * hl
            if h < 1e-14 * max(abs(t), 1.0):
                status[s] = 3 if not finite else (4 if not ok else 2)
                fail_t[s] = t
                break
            if nstep >= max_steps:
                break
        if status[s] != 0 or nstep >= max_steps or seg >= ncut - 1:
            break
    if status[s] == 0 and seg < ncut - 1:
        status[s] = 1
        fail_t[s] = t
    # ``out`` arrives uninitialised: times never reached (and failed subjects) become NaN
    first = 0 if status[s] != 0 else iout
    for i in range(n):
        for q in range(first, nt):
            out[i, s, q] = np.nan


@njit(cache=True, error_model="numpy", parallel=True)
def solve_rosenbrock(tout, cuts, cuts_prev, y0, params, timed, harm, const_soff, prog, prog_ptr,
                     leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack_size, rtol, atol,
                     max_step, max_steps, out, status, fail_t, lanes):
    nsub = y0.shape[1]
    for s in prange(nsub):
        rosenbrock_one(s, tout, cuts, cuts_prev, y0, params, timed, harm, const_soff, prog,
                       prog_ptr,
                       leaf_kind, leaf_off, leaf_soff, leaf_m, data, sdata, stack_size, rtol,
                       atol, max_step, max_steps, out, status, fail_t)
'''
