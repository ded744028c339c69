"""Reads the step conformance case files (format: native/cases/case_file.h) with the standard
library only, so the cuDNN comparison needs nothing beyond PyTorch on the GPU machine."""

import array
import os


class Case:
    def __init__(self, path):
        self.path = path
        self.name = ""
        self.op = ""
        self.nums = {}
        self.arrays = {}  # name -> (type, dims, array.array)
        with open(path, "rb") as f:
            data = f.read()
        end = data.index(b"\nend\n") + len(b"\nend\n")
        lines = data[:end].decode("utf-8").split("\n")
        if lines[0] != "MDCASE 1":
            raise ValueError(f"{path}: not a case file")
        order = []
        for line in lines[1:]:
            words = line.split(" ")
            if words[0] == "name":
                self.name = line[5:]
            elif words[0] == "op":
                self.op = words[1]
            elif words[0] == "num":
                self.nums[words[1]] = [float(w) for w in words[2:]]
            elif words[0] == "array":
                rank = int(words[3])
                order.append((words[1], words[2], [int(d) for d in words[4 : 4 + rank]]))
        offset = end
        for name, kind, dims in order:
            count = 1
            for d in dims:
                count *= d
            values = array.array("f" if kind == "f32" else "B")
            size = count * (4 if kind == "f32" else 1)
            values.frombytes(data[offset : offset + size])
            offset += size
            self.arrays[name] = (kind, dims, values)


def read_cases(folder, op=None):
    """The cases of a folder, sorted by file name, optionally only those of one op."""
    cases = []
    for file in sorted(os.listdir(folder)):
        if file.endswith(".case"):
            c = Case(os.path.join(folder, file))
            if op is None or c.op == op:
                cases.append(c)
    return cases
