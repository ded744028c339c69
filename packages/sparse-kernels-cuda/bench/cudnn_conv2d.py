"""cuDNN baseline for the CUDA driver's dense convolution timings: runs every `dense.Conv2D` case
file through PyTorch (cuDNN, fp32, TF32 off, NHWC/channels_last), checks it against the case's
expected output, and times it with CUDA events the way the driver does (median of N runs after
two warm-up runs). With --driver <file of the driver's output> it prints both timings per case.

    python3 bench/cudnn_conv2d.py <case folder> [--batch 4] [--iters 20] [--driver driver.txt]

--batch B repeats each case's input B times along N (the driver times the case's own batch: write
cases at the batch you compare, or compare per image).
"""

import argparse
import statistics

import torch
import torch.nn.functional as F

from case_files import read_cases

ACTIVATIONS = {
    0: lambda y, a, b: y,
    1: lambda y, a, b: F.relu(y),
    2: lambda y, a, b: torch.clamp(y, a, b),
    3: lambda y, a, b: F.leaky_relu(y, a),
    5: lambda y, a, b: torch.sigmoid(y),
    7: lambda y, a, b: F.hardswish(y),
    8: lambda y, a, b: torch.tanh(y),
}


def tensor(case, name, device):
    kind, dims, values = case.arrays[name]
    host = torch.frombuffer(bytearray(values.tobytes()), dtype=torch.float32)
    return host.reshape(dims).to(device)


def run_case(case, batch, iters, device):
    x = tensor(case, "in.x", device)  # NHWC
    w = tensor(case, "in.w", device)  # [kh, kw, cin/g, cout]
    bias = tensor(case, "in.bias", device) if "in.bias" in case.arrays else None
    act = case.nums.get("act", [0, 0, 0])
    if int(act[0]) not in ACTIVATIONS:
        return None  # an activation PyTorch has no one-call form for here: not a cuDNN timing
    top, left, bottom, right = [int(v) for v in case.nums["pads"]]
    stride = [int(v) for v in case.nums["strides"]]
    dilation = [int(v) for v in case.nums["dilations"]]
    groups = int(case.nums["groups"][0])
    xn = x.permute(0, 3, 1, 2).contiguous(memory_format=torch.channels_last)
    if batch > 1:
        xn = xn.repeat(batch, 1, 1, 1).contiguous(memory_format=torch.channels_last)
    wn = w.permute(3, 2, 0, 1).contiguous(memory_format=torch.channels_last)
    symmetric = top == bottom and left == right

    def conv():
        inp = xn if symmetric else F.pad(xn, (left, right, top, bottom))
        pad = (top, left) if symmetric else 0
        y = F.conv2d(inp, wn, bias, stride=stride, padding=pad, dilation=dilation, groups=groups)
        return ACTIVATIONS[int(act[0])](y, act[1], act[2])

    with torch.no_grad():
        y = conv()
        expected = tensor(case, "out.y", device)
        got = y[: x.shape[0]].permute(0, 2, 3, 1)
        err = (got - expected).abs().max().item() / max(expected.abs().max().item(), 1e-30)
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        times = []
        for i in range(iters + 2):
            start.record()
            conv()
            stop.record()
            torch.cuda.synchronize()
            if i >= 2:
                times.append(start.elapsed_time(stop))
    return statistics.median(times), min(times), err


def driver_times(path):
    times = {}
    with open(path) as f:
        for line in f:
            if line.startswith("time "):
                _, median, best, op, name = line.rstrip("\n").split(" ", 4)
                times[name] = float(median)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--iters", type=int, default=20)
    parser.add_argument("--driver")
    args = parser.parse_args()
    # fp32 comparison: no TF32 anywhere.
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    device = torch.device("cuda")
    print(f"device {torch.cuda.get_device_name(0)} torch {torch.__version__} cudnn {torch.backends.cudnn.version()} tf32 off batch x{args.batch}")
    ours = driver_times(args.driver) if args.driver else {}
    for case in read_cases(args.folder, "dense.Conv2D"):
        result = run_case(case, args.batch, args.iters, device)
        if result is None:
            print(f"skip {case.name} :: activation without a PyTorch one-call form")
            continue
        median, best, err = result
        line = f"cudnn {median:.4f} {best:.4f} maxrel {err:.2e} {case.name}"
        if case.name in ours:
            line += f" | ours {ours[case.name]:.4f} ms, ours/cudnn {ours[case.name] / median:.2f}"
        print(line)


if __name__ == "__main__":
    main()
