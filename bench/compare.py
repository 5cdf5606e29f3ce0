#!/usr/bin/python3
"""bench/compare.py OLD NEW [ROUNDS]: two builds of chatcat side by side.

Client wall time and CPU (user+sys from wait4) of `history` (to /dev/null),
`history --jq .content -r` and a `pipe` of 2,000 messages, the two builds
alternating round by round against one server (NEW's, database in
/dev/shm; FILL=N stored messages in the thread, 20,000 by default); then
each build's own `serve`: its CPU (/proc/PID/stat) for a `pipe` of 5,000
messages sent by NEW, alternating.  Medians; new/old ratios.  Used for
"no loss elsewhere" in bench/README.md."""
import os, sys, subprocess, tempfile, time, re, statistics, uuid
OLD, NEW = sys.argv[1], sys.argv[2]
R = int(sys.argv[3]) if len(sys.argv) > 3 else 10
D = tempfile.mkdtemp(dir='/dev/shm')
def serve(b, name):
    p = subprocess.Popen([b, 'serve', '--listen', '127.0.0.1:0', '--db', f'{D}/{name}.db'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    url = re.search(r'CHATCAT_URL=(\S+)', line).group(1); tok = re.search(r'CHATCAT_TOKEN=(\S+)', line).group(1)
    return p, url, tok
def run(argv, stdin=None):
    t0 = time.monotonic()
    fin = open(stdin) if stdin else subprocess.DEVNULL
    p = subprocess.Popen(argv, stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, st, ru = os.wait4(p.pid, 0)
    w = time.monotonic() - t0
    assert os.waitstatus_to_exitcode(st) == 0, argv
    return w, ru.ru_utime + ru.ru_stime
def cpu(pid):
    f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')
def lines(n, path):
    with open(path, 'w') as f:
        for i in range(n): f.write('{"type":"message","content":"m %d"}\n' % i)
sp, url, tok = serve(NEW, 'n'); so, url_o, tok_o = serve(OLD, 'o')
C = lambda b, u=url, t=tok: [b, '-u', u, '--token', t]
th = str(uuid.uuid4())
lines(int(os.environ.get('FILL', 20000)), f'{D}/fill'); run(C(NEW) + ['pipe', '--thread', th], f'{D}/fill')
lines(2000, f'{D}/p2k'); lines(5000, f'{D}/p5k')
res = {k: [] for k in ['hist', 'jq', 'pipe']}
out = {b: {k: [] for k in res} for b in ('old', 'new')}
for r in range(R):
    for name, b in (('old', OLD), ('new', NEW)) if r % 2 == 0 else (('new', NEW), ('old', OLD)):
        out[name]['hist'].append(run(C(b) + ['history', th]))
        out[name]['jq'].append(run(C(b) + ['history', th, '--jq', '.content', '-r']))
        out[name]['pipe'].append(run(C(b) + ['pipe', '--thread', str(uuid.uuid4())], f'{D}/p2k'))
print(f'client, {R} rounds, medians (wall ms / cpu ms), thread of %s stored messages' % os.environ.get('FILL', 20000))
for k in res:
    o = out['old'][k]; n = out['new'][k]
    ow = statistics.median(x[0] for x in o) * 1e3; nw = statistics.median(x[0] for x in n) * 1e3
    oc = statistics.median(x[1] for x in o) * 1e3; nc = statistics.median(x[1] for x in n) * 1e3
    print(f'{k:5} old {ow:7.1f} / {oc:7.1f}   new {nw:7.1f} / {nc:7.1f}   new/old wall {nw/ow:.2f} cpu {nc/oc:.2f}')
# servers: one pipe of 5000 messages each (new client), alternating
sc = {'old': [], 'new': []}
for r in range(max(2, R // 3)):
    for name, p, u, t in (('old', so, url_o, tok_o), ('new', sp, url, tok)):
        c0 = cpu(p.pid); run(C(NEW, u, t) + ['pipe', '--thread', str(uuid.uuid4())], f'{D}/p5k'); sc[name].append(cpu(p.pid) - c0)
print('serve CPU for a pipe of 5000 (s), runs:', {k: [round(x, 2) for x in v] for k, v in sc.items()},
      'medians old %.3f new %.3f' % (statistics.median(sc['old']), statistics.median(sc['new'])))
sp.terminate(); so.terminate(); sp.wait(); so.wait()
subprocess.run(['rm', '-rf', D])
