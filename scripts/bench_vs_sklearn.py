"""Driver of scripts/bench-vs-sklearn: alternate runs of topictrack and the scikit-learn anchor.

Each run is a whole process (start-up, reading, everything) measured with os.wait4: wall time
and peak resident memory (ru_maxrss) of that child. Both tools get the same file, the same k
(the number of gold labels) and the same seed per run (seeds 0, 1, 2, ...). NMI and ARI are
means over --quality-seeds seeds (default 10): the timed runs' seeds, then untimed runs of both
tools for the remaining seeds. On 20 Newsgroups either tool's NMI moves by about ±0.012 from
seed to seed, so a mean over 3 seeds could not tell the tools apart. For Reuters, both
read a temporary file with only the single-label articles, which is what the anchor scores.
The anchor runs with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (they slow a current numpy).
"""
import argparse, gzip, json, os, platform, statistics, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--quality-seeds", type=int, default=10, help="seeds 0..N-1 for the NMI/ARI means")
ap.add_argument("--corpora", default="20newsgroups,bbc,reuters")
ap.add_argument("--topictrack-args", default="", help="extra analyze arguments")
ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
args = ap.parse_args()

root = os.getcwd()
corpora_dir = os.environ.get("TOPICTRACK_CORPORA", os.path.join(root, "..", "shared", "data"))
anchor = os.environ.get("ANCHOR", os.path.join(root, "..", "shared", "tools", "anchor_sklearn.py"))
binary = os.path.join(root, "target", "release", "topictrack")
tmp = tempfile.mkdtemp(prefix="tt-bench-")

FILES = {"20newsgroups": "20newsgroups.jsonl.gz", "bbc": "bbc.jsonl.gz", "reuters": "reuters21578.jsonl.gz"}


def prepare(name):
    path = os.path.join(corpora_dir, FILES[name])
    labels = set()
    if name != "reuters":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                labels.add(json.loads(line).get("label"))
        return path, len(labels - {None})
    out = os.path.join(tmp, "reuters-single.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f, gzip.open(out, "wt", encoding="utf-8") as g:
        for line in f:
            r = json.loads(line)
            if r.get("label"):
                labels.add(r["label"])
                g.write(line)
    return out, len(labels)


def run_measured(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}")
    return wall, ru.ru_maxrss / 1024.0, out.decode()


anchor_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
rows = []
for name in args.corpora.split(","):
    path, k = prepare(name)
    res = {"topictrack": [], "sklearn": []}
    for i in range(args.runs):
        out_dir = os.path.join(tmp, f"out-{name}-{i}")
        cmd = [binary, "analyze", path, "--out", out_dir, "-k", str(k), "--seed", str(i), "--label-field", "label", "-q"]
        cmd += args.topictrack_args.split()
        wall, mem, _ = run_measured(cmd)
        s = json.load(open(os.path.join(out_dir, "run.json")))["scores"]
        res["topictrack"].append((wall, mem, s["nmi"], s["ari"]))
        wall, mem, out = run_measured([sys.executable, anchor, path, str(k), "--seed", str(i)], env=anchor_env)
        a = json.loads(out.strip().splitlines()[-1])
        res["sklearn"].append((wall, mem, a["nmi"], a["ari"]))
    quality = {t: [(x[2], x[3]) for x in v] for t, v in res.items()}
    for i in range(args.runs, args.quality_seeds):
        out_dir = os.path.join(tmp, f"out-{name}-{i}")
        cmd = [binary, "analyze", path, "--out", out_dir, "-k", str(k), "--seed", str(i), "--label-field", "label",
               "-q", "--no-charts", "--no-events"]
        cmd += args.topictrack_args.split()
        run_measured(cmd)
        s = json.load(open(os.path.join(out_dir, "run.json")))["scores"]
        quality["topictrack"].append((s["nmi"], s["ari"]))
        _, _, out = run_measured([sys.executable, anchor, path, str(k), "--seed", str(i)], env=anchor_env)
        a = json.loads(out.strip().splitlines()[-1])
        quality["sklearn"].append((a["nmi"], a["ari"]))
    med = {t: [statistics.median(x[j] for x in v) for j in range(2)]
              + [statistics.mean(q[j] for q in quality[t]) for j in (0, 1)]
           for t, v in res.items()}
    rows.append((name, k, med))

hdr = ["corpus", "k", "tool", "wall s (median)", "peak MiB", "NMI (mean)", "ARI (mean)"]
lines = []
for name, k, med in rows:
    for tool in ("topictrack", "sklearn"):
        w, m, n, a = med[tool]
        lines.append([name, str(k), tool, f"{w:.2f}", f"{m:.0f}", f"{n:.4f}", f"{a:.4f}"])
    t, s = med["topictrack"], med["sklearn"]
    lines.append([name, str(k), "ratio sklearn/topictrack", f"{s[0] / t[0]:.1f}x", f"{s[1] / t[1]:.1f}x",
                  f"{t[2] - s[2]:+.4f}", f"{t[3] - s[3]:+.4f}"])
if args.markdown:
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for l in lines:
        print("| " + " | ".join(l) + " |")
else:
    widths = [max(len(r[i]) for r in lines + [hdr]) for i in range(len(hdr))]
    for l in [hdr] + lines:
        print("  ".join(c.ljust(w) for c, w in zip(l, widths)))
n_quality = max(args.runs, args.quality_seeds)
print(f"\n{args.runs} alternating timed runs per tool and corpus, seeds 0..{args.runs - 1}; "
      f"NMI and ARI: means over seeds 0..{n_quality - 1}; "
      f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}")
