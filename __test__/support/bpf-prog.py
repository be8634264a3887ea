# Loads a two-instruction eBPF program (`r0 = VERDICT; exit`) of type sched_cls, xdp or lwt_*, and
# pins it at PATH in a bpf filesystem: the tc-cls and links-extras tests' eBPF program, with no
# compiler or bpftool.
# usage: python3 bpf-prog.py PATH VERDICT [sched_cls|xdp|lwt_in|lwt_out|lwt_xmit|lwt_seg6local]
import ctypes, os, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_BPF = 321  # x86_64
BPF_PROG_LOAD, BPF_OBJ_PIN, BPF_PROG_TYPE_SCHED_CLS = 5, 6, 3
TYPES = {'sched_cls': BPF_PROG_TYPE_SCHED_CLS, 'xdp': 6, 'lwt_in': 10, 'lwt_out': 11, 'lwt_xmit': 12, 'lwt_seg6local': 19}
path, verdict = sys.argv[1], int(sys.argv[2])
prog_type = TYPES[sys.argv[3] if len(sys.argv) > 3 else 'sched_cls']
insns = struct.pack('<BBhi', 0xB7, 0, 0, verdict) + struct.pack('<BBhi', 0x95, 0, 0, 0)  # mov r0, imm; exit
code = ctypes.create_string_buffer(insns, len(insns))
lic = ctypes.create_string_buffer(b'GPL')
# union bpf_attr, BPF_PROG_LOAD: prog_type, insn_cnt, insns, license, log_level, log_size, log_buf, ...
attr = ctypes.create_string_buffer(struct.pack('<IIQQIIQ', prog_type, 2, ctypes.addressof(code), ctypes.addressof(lic), 0, 0, 0) + bytes(88))
fd = libc.syscall(SYS_BPF, BPF_PROG_LOAD, attr, 128)
if fd < 0:
    sys.exit('BPF_PROG_LOAD: ' + os.strerror(ctypes.get_errno()))
name = ctypes.create_string_buffer(path.encode())
pin = ctypes.create_string_buffer(struct.pack('<QII', ctypes.addressof(name), fd, 0) + bytes(8))
if libc.syscall(SYS_BPF, BPF_OBJ_PIN, pin, 24) < 0:
    sys.exit('BPF_OBJ_PIN: ' + os.strerror(ctypes.get_errno()))
