#!/usr/bin/env python3
"""Generate the bundled topictrack demo corpus (data/articles.jsonl + data/README.md).

Everything here is original, hand-written, illustrative and entirely fictional:
the country (Norland), its places, people, companies, clubs, unions and parties
are invented. The script only *assembles* articles from the hand-written
sentence material in the MATERIAL section below; it uses the Python standard library
only and is fully deterministic (fixed seed), so re-running it reproduces the
same files byte for byte.

    python3 data/make_demo.py            # writes data/articles.jsonl and data/README.md
"""

import datetime as dt
import json
import os
import random
import re
import sys
from collections import Counter

SEED = 20250410
START = dt.date(2025, 1, 6)   # Monday, ISO week 2
END = dt.date(2025, 6, 29)    # Sunday, ISO week 26
GAZ, COU = "Harbour Gazette", "Valley Courier"
HERE = os.path.dirname(os.path.abspath(__file__))

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORD = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
       "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"]
NUMW = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def D(s):
    return dt.date.fromisoformat(s)


def in_range(d, a, b):
    return D(a) <= d <= D(b)


def thousands(n, step=100):
    return "{:,}".format(int(round(n / step) * step))




# --------------------------------------------------------------------------- schedule

def build_schedule(rng):
    """Return list of (date, topic_key).

    Each topic has an expected number of articles per day: a base rate plus event bumps.
    Days are sampled with a jittered accumulator: every day adds
        rate * min(3, Gamma(shape k, mean 1)) + bump * U(0.75, 1.25)
    to a running total and whole articles are emitted from it. This keeps visible
    week-to-week noise but tracks the intended shape more closely than independent
    Poisson draws. k is 0.7 by default (noisy) and larger for the drought topic so its
    seasonal rise stays readable. Topics with a "fixed" table (the burst) use exact
    per-day counts on those days."""
    sched = []
    acc = {key: rng.random() for key in TOPICS}
    d = START
    while d <= END:
        for key, topic in TOPICS.items():
            fixed = topic.get("fixed", {}).get(d.isoformat())
            if fixed is not None:
                n = fixed
            else:
                k = topic.get("noise_shape", 0.7)
                noise = min(3.0, rng.gammavariate(k, 1 / k))
                bump = topic.get("bumps", {}).get(d.isoformat(), 0.0)
                acc[key] += topic["rate"](d) * noise + bump * rng.uniform(0.75, 1.25)
                n = int(acc[key])
                acc[key] -= n
            sched.extend((d, key) for _ in range(n))
        d += dt.timedelta(days=1)
    return sched


# --------------------------------------------------------------------------- assembly

FAIL = Counter()


class Picker:
    """Pick sentences, preferring the least used ones so the prose stays varied."""

    def __init__(self, rng):
        self.rng = rng
        self.uses = Counter()

    def pick(self, items, exclude=()):
        items = [s for s in items if s not in exclude]
        if not items:
            return None
        w = [1.0 / (1 + self.uses[s]) ** 3 for s in items]
        s = self.rng.choices(items, weights=w, k=1)[0]
        return s

    def commit(self, items):
        for s in items:
            self.uses[s] += 1


def pool(topic, part, tags):
    """Entries of topic[part] whose key matches one of the tags ('any' always matches).

    Returns (specific, general) where specific come from event tags ('!...')."""
    spec, gen = [], []
    for key, items in topic[part].items():
        parts = key.split("|")
        if key == "any" or any(p in tags for p in parts):
            if any(p.startswith("!") and p in tags for p in parts):
                spec.extend(items)
            else:
                gen.extend(items)
    return spec, gen


def base_ctx(d):
    return {
        "wd": WEEKDAYS[d.weekday()],
        "ywd": WEEKDAYS[(d.weekday() - 1) % 7],
        "nwd": WEEKDAYS[(d.weekday() + 1) % 7],
        "month": d.strftime("%B"),
    }


SENT_SPLIT = re.compile(r'(?<=[.!?])["\u201d]?\s+(?=["\u201c]?[A-Z0-9])')


def count_sentences(text):
    return len([s for s in SENT_SPLIT.split(text) if s.strip()])


STOP = set("""a an the of to in on at for and as by with is are be been after over its it from into
up out new what how who why we our not but their than more this that was were will has have had
his her she he they them about says say said all""".split())


def stems(text):
    out = set()
    for w in re.findall(r"[0-9][0-9,.]*[0-9]|[0-9]|[^\W\d_]+", text.lower()):
        if w[0].isdigit():
            out.add(w)
        elif w not in STOP and len(w) > 1:
            out.add(w[:5])
    return out


def proper_stems(title):
    """Stems of capitalised words after the first one (names, places) in a headline."""
    words = re.findall(r"[^\W\d_]+", title)[1:]
    return {w.lower()[:5] for w in words if w[0].isupper() and w.lower() not in STOP}


def pick_headline(picker, heads, ctx, lead, text, seen_titles, threshold):
    """Choose a headline that summarises the article, above all its lead sentence.

    Score = 0.65 * (share of the headline's content-word stems found in the lead)
          + 0.35 * (share found anywhere in the text).
    Every number in the headline must appear in the text, and every proper noun in
    the first two sentences, so that the headline and the story agree."""
    lstems, tstems = stems(lead), stems(text)
    top_stems = stems(" ".join(SENT_SPLIT.split(text)[:2]))
    scored = []
    for h in dict.fromkeys(heads):
        t = h.format(**ctx)
        if t in seen_titles:
            continue
        hs = stems(t)
        if not hs or any(w[0].isdigit() and w not in tstems for w in hs):
            continue
        if not proper_stems(t) <= top_stems:
            continue
        sc = 0.65 * len(hs & lstems) / len(hs) + 0.35 * len(hs & tstems) / len(hs)
        scored.append((sc, h, t))
    if not scored:
        return None
    best = max(sc for sc, _, _ in scored)
    if best < threshold:
        return None
    near = [h for sc, h, _ in scored if sc >= best - 0.1]
    h = picker.pick(near)
    picker.commit([h])
    return h.format(**ctx)


def make_article(rng, picker, key, d, cross_key, seen_texts, seen_titles):
    topic = TOPICS[key]
    tags = topic["tags"](d)
    for attempt in range(800):
        ctx = base_ctx(d)
        ctx.update(topic["ctx"](d, rng))
        lspec, lgen = pool(topic, "lead", tags)
        lead = picker.pick(lspec if lspec and rng.random() < 0.85 else lspec + lgen)
        bspec, bgen = pool(topic, "body", tags)
        nbody = rng.choice([1, 2, 2, 2, 3, 3])
        bodies = []
        for _ in range(nbody):
            cand = bspec * 2 + bgen if bspec else bgen
            s = picker.pick(cand, exclude=bodies)
            if s:
                bodies.append(s)
        _, qpool = pool(topic, "quote", tags)
        qs, _ = pool(topic, "quote", tags)
        quote = picker.pick(qs + qpool) if rng.random() < 0.65 else None
        _, cpool = pool(topic, "close", tags)
        close = picker.pick(cpool) if rng.random() < 0.45 else None
        cross = None
        if cross_key:
            cands = [t for (a, b, t) in CROSSOVERS[(key, cross_key)] if in_range(d, a, b)]
            cross = picker.pick(cands)
        parts = [lead] + bodies
        if quote:
            parts.insert(rng.randint(1, len(parts)), quote)
        if cross:
            parts.insert(rng.randint(2, len(parts)) if len(parts) > 2 else len(parts), cross)
        if close:
            parts.append(close)
        text = " ".join(p.format(**ctx) for p in parts)
        nw = len(text.split())
        ns = count_sentences(text)
        if not (50 <= nw <= 120 and 3 <= ns <= 6):
            FAIL[(key, "length")] += 1
            continue
        if text in seen_texts:
            FAIL[(key, "duptext")] += 1
            continue
        hspec, hgen = pool(topic, "head", tags)
        title = pick_headline(picker, hspec + hgen, ctx, lead.format(**ctx), text, seen_titles,
                              0.6 if attempt < 400 else 0.5)
        if title is None:
            FAIL[(key, "title")] += 1
            continue
        picker.commit([p for p in parts])
        seen_texts.add(text)
        seen_titles.add(title)
        return title, text, cross is not None
    raise RuntimeError("could not build article for %s on %s (tags %s)" % (key, d, sorted(tags)))


def main():
    rng = random.Random(SEED)
    picker = Picker(rng)
    sched = build_schedule(rng)
    rng.shuffle(sched)
    sched.sort(key=lambda x: x[0])
    # outlet per article: exactly round(p_gazette * n) Harbour Gazette articles per topic,
    # spread at random over that topic's articles
    per_topic = Counter(key for _, key in sched)
    bag = {}
    for key, n in per_topic.items():
        g = round(TOPICS[key]["p_gazette"] * n)
        bag[key] = [GAZ] * g + [COU] * (n - g)
        rng.shuffle(bag[key])
    rows, seen_texts, seen_titles = [], set(), set()
    cross_pairs = Counter()
    for d, key in sched:
        source = bag[key].pop()
        cross_key = None
        options = [b for (a, b) in CROSSOVERS if a == key and
                   any(in_range(d, s, e) for (s, e, _) in CROSSOVERS[(a, b)])]
        if options and rng.random() < 0.13:
            cross_key = rng.choice(sorted(options))
        title, text, crossed = make_article(rng, picker, key, d, cross_key, seen_texts, seen_titles)
        if crossed:
            cross_pairs[(key, cross_key)] += 1
        rows.append({"date": d.isoformat(), "source": source, "topic": key,
                     "title": title, "text": text})
    out = []
    for i, r in enumerate(rows, 1):
        out.append({"id": "d%04d" % i, **r})
    with open(os.path.join(HERE, "articles.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    write_readme(out, cross_pairs)
    print("wrote %d articles" % len(out), file=sys.stderr)


# --------------------------------------------------------------------------- README

def write_readme(rows, cross_pairs):
    keys = list(TOPICS)
    by_topic = Counter(r["topic"] for r in rows)
    by_ts = Counter((r["topic"], r["source"]) for r in rows)
    by_source = Counter(r["source"] for r in rows)
    burst = Counter(r["date"] for r in rows if r["topic"] == "westmere-bridge")
    first_bridge = min(r["date"] for r in rows if r["topic"] == "westmere-bridge")
    b5 = sum(v for k, v in burst.items() if "2025-04-10" <= k <= "2025-04-14")
    b3 = sum(v for k, v in burst.items() if "2025-04-10" <= k <= "2025-04-12")
    b_rest_apr = sum(v for k, v in burst.items() if "2025-04-15" <= k <= "2025-04-30")
    b_later = sum(v for k, v in burst.items() if k >= "2025-05-01")
    dr = Counter(D(r["date"]).month for r in rows if r["topic"] == "drought-farms")
    ncross = sum(cross_pairs.values())

    lines = []
    w = lines.append
    w("# topictrack demo corpus")
    w("")
    w("**This corpus is original, written for the topictrack project, illustrative and entirely fictional.**")
    w("The country (Norland), its cities (Port Calder, Westmere, Aldbury, the Tarrow Valley and its towns), ")
    w("and every person, company, union, football club, political party, newspaper and institution in it are ")
    w("invented. Any resemblance to real people, organisations or events is coincidental. All quotes are ")
    w("attributed to fictional people. The two outlets, *Harbour Gazette* and *Valley Courier*, do not exist.")
    w("")
    w("The articles were assembled by `make_demo.py` (Python 3 standard library only, fixed seed, deterministic) ")
    w("from hand-written sentence material kept in the same script: headlines, lead sentences, body sentences, ")
    w("quotes and closing lines per topic and per story phase, plus a small set of hand-written \"crossover\" ")
    w("sentences that bring a second topic into an article. Re-running `python3 data/make_demo.py` reproduces ")
    w("`articles.jsonl` and this README exactly (generated with Python 3.11). It is a toy corpus for demonstrating and testing topic discovery, ")
    w("timelines, burst detection and source comparison; it is not news and carries no factual claims.")
    w("")
    w("## Files")
    w("")
    w("| file | content |")
    w("|---|---|")
    w("| `articles.jsonl` | %d articles, UTF-8 JSON Lines, one object per line, sorted by date then id |" % len(rows))
    w("| `README.md` | this description (generated) |")
    w("| `make_demo.py` | the generator: hand-written material (topics, sentences, story phases, crossovers) plus the assembler |")
    w("")
    w("## Fields")
    w("")
    w("Every line is one JSON object with exactly these six string fields, in this order:")
    w("")
    w("| field | example | meaning |")
    w("|---|---|---|")
    w("| `id` | `\"d0001\"` | unique id, `d` + 4 digits, assigned in date order |")
    w("| `date` | `\"2025-03-14\"` | publication date, ISO 8601 `YYYY-MM-DD` |")
    w("| `source` | `\"Harbour Gazette\"` | outlet: `\"Harbour Gazette\"` or `\"Valley Courier\"` |")
    w("| `topic` | `\"harbour-strike\"` | gold topic key (for evaluation only; a real pipeline should not read it as input) |")
    w("| `title` | | headline |")
    w("| `text` | | body, 50-120 words, 3-6 sentences, plain text; speech uses curly quotes “ ”, apostrophes are straight `'` |")
    w("")
    w("Dates run from **%s** (Monday, ISO week 2025-W02) to **%s** (Sunday, ISO week 2025-W26): "
      "175 days, 25 full ISO weeks. Titles and texts are all unique." % (START, END))
    w("")
    w("## Topics")
    w("")
    w("| topic | what it is about | articles | Harbour Gazette | Valley Courier |")
    w("|---|---|---:|---:|---:|")
    for k in keys:
        w("| `%s` | %s | %d | %d | %d |" % (k, TOPICS[k]["about"], by_topic[k], by_ts[(k, GAZ)], by_ts[(k, COU)]))
    w("| **total** | | **%d** | **%d** | **%d** |" % (len(rows), by_source[GAZ], by_source[COU]))
    w("")
    w("Each topic has its own recurring (fictional) people, places and organisations, listed below, so a ")
    w("TF-IDF + k-means clusterer should separate the eight topics well.")
    w("")
    for k in keys:
        w("- `%s`: %s" % (k, TOPICS[k]["cast"]))
    w("")
    w("## Time shapes (what the pipeline should find)")
    w("")
    w("- **Sudden burst - `westmere-bridge`.** The Kessel Bridge in Westmere collapses on the evening of "
      "**Thursday 2025-04-10** (ISO week 2025-W15). There are **no** bridge articles before that day (first article: %s). "
      "Counts per day: %s. That is %d articles on 2025-04-10..2025-04-12 and %d in the five days "
      "2025-04-10..2025-04-14, then a fade: %d more over 2025-04-15..2025-04-30 and a trickle of %d "
      "in May-June (inquiry, demolition, hearings)."
      % (first_bridge,
         ", ".join("%s: %d" % (k[5:], burst[k]) for k in sorted(burst) if k <= "2025-04-20"),
         b3, b5, b_rest_apr, b_later))
    w("- **Slow seasonal rise - `drought-farms`.** A dry winter turns into a drought: articles per month "
      "Jan..Jun = %s. Story milestones: drought watch declared 2025-04-22, irrigation rationing from "
      "2025-05-05, drought emergency declared 2025-06-09." % ", ".join(str(dr[m]) for m in range(1, 7)))
    w("- **Steady background with small bumps** for the other six topics (one to three articles a week, with day-to-day noise):")
    w("  - `harbour-strike`: ballot result 2025-01-24, strike starts 2025-02-03, deal 2025-05-12, "
      "members accept 2025-05-20; quieter afterwards.")
    w("  - `interest-rates`: Bank of Norland decisions on 2025-02-13 (hold 4.25%), 2025-03-27 (cut to 4.00%), "
      "2025-05-15 (hold), 2025-06-26 (cut to 3.75%); inflation releases mid-month.")
    w("  - `football-title`: weekend-heavy; final day 2025-05-24 (Calder Rovers win the title), "
      "then a quiet close season.")
    w("  - `election-campaign`: by-election result 2025-03-07, TV debate 2025-06-05, "
      "opposition manifesto 2025-06-16; polling day is 14 September (outside the corpus).")
    w("  - `tech-layoffs`: Nova 5 phone / Talon K2 chip launch 2025-02-20, 1,200 job cuts announced 2025-05-06.")
    w("  - `hospital-waits`: recovery plan 2025-03-18, nurses' ballot result 2025-05-13.")
    w("")
    w("## Sources")
    w("")
    w("Both outlets cover every topic, with different emphasis: the *Harbour Gazette* (a Port Calder paper) "
      "covers the harbour strike and the football title race much more; the *Valley Courier* (a Tarrow Valley "
      "paper) covers the drought and farming much more. Totals: Harbour Gazette %d, Valley Courier %d."
      % (by_source[GAZ], by_source[COU]))
    w("")
    w("## Cross-topic articles")
    w("")
    w("%d articles carry one hand-written sentence about a second topic (for example the drought in an "
      "election article, or port delays in an inflation article). Their `topic` is still the primary one. "
      "Pairs (primary -> secondary):" % ncross)
    w("")
    for (a, b), n in sorted(cross_pairs.items()):
        w("- `%s` -> `%s`: %d" % (a, b, n))
    w("")
    w("## Weekly counts (ISO week, Monday start)")
    w("")
    weeks = sorted({D(r["date"]).isocalendar()[1] for r in rows})
    short = {k: TOPICS[k]["short"] for k in keys}
    w("| week | Monday | " + " | ".join(short[k] for k in keys) + " | all |")
    w("|---|---|" + "---:|" * (len(keys) + 1))
    wc = Counter((D(r["date"]).isocalendar()[1], r["topic"]) for r in rows)
    for wk in weeks:
        mon = dt.date.fromisocalendar(2025, wk, 1)
        w("| W%02d | %s | " % (wk, mon) + " | ".join(str(wc[(wk, k)]) for k in keys)
          + " | %d |" % sum(wc[(wk, k)] for k in keys))
    w("")
    w("Column key: " + ", ".join("%s = `%s`" % (short[k], k) for k in keys) + ".")
    w("")
    w("## Licence")
    w("")
    w("Written for topictrack; distributed under the same licence as the project (MIT OR Apache-2.0).")
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(l.rstrip() for l in lines) + "\n")


# =========================================================================== MATERIAL
# Everything below is hand-written fiction. Slots in {braces} are filled per article
# from the story state on the article's date (see the *_ctx functions).

TOPICS = {}


def _tags(d, spans):
    """spans: list of (start, end, tag); returns the set of tags active on d."""
    return {t for (a, b, t) in spans if in_range(d, a, b)}


# --------------------------------------------------------------------------- harbour-strike

STRIKE_START = D("2025-02-03")


def harbour_ctx(d, rng):
    days = (d - STRIKE_START).days
    week = max(1, days // 7 + 1)
    if d < D("2025-02-24"):
        offer = "4 per cent"
    elif d < D("2025-03-31"):
        offer = "4.8 per cent"
    elif d < D("2025-05-12"):
        offer = "5.5 per cent"
    else:
        offer = "6.5 per cent over two years"
    if d < STRIKE_START:
        offer = "3.5 per cent"
        ships = rng.randint(2, 5)
    elif d < D("2025-05-12"):
        ships = min(41, 7 + 2 * week + rng.randint(-2, 3))
    else:
        ships = max(3, 30 - 3 * ((d - D("2025-05-12")).days // 4) + rng.randint(-2, 2))
    boxes = thousands(3000 + 1650 * week + rng.randint(-400, 400))
    return {"week_word": ORD[min(week, 15)], "week": week, "ships": ships, "boxes": boxes,
            "offer": offer, "days": max(days, 1), "cost": rng.choice(["38", "41", "40"])}


TOPICS["harbour-strike"] = {
    "about": "dock workers' strike at Port Calder harbour (pay, crane automation, ship backlog)",
    "short": "harb",
    "cast": "Port Calder harbour, Northgate container terminal, Quay 7, Eastmole grain berth; "
            "Norland Dockers' Union (Maren Holt, Ewan Tully); Greyline Terminals (Oskar Venn, Delia Frost); "
            "Calder Port Authority (harbourmaster Captain Ruth Abernethy); Arbitration and Conciliation "
            "Board (Judith Arkwell).",
    "p_gazette": 0.80,
    "rate": lambda d: (0.20 if d < STRIKE_START else 0.27 if d < D("2025-05-12")
                       else 0.40 if d < D("2025-05-24") else 0.08),
    "bumps": {"2025-01-24": 1.5, "2025-02-03": 2.5, "2025-02-04": 1.0, "2025-05-12": 2.5,
              "2025-05-20": 1.5},
    "tags": lambda d: _tags(d, [
        ("2025-01-06", "2025-01-23", "pre"), ("2025-01-24", "2025-02-02", "ballot"),
        ("2025-01-24", "2025-01-25", "!ballot"), ("2025-02-03", "2025-05-11", "strike"),
        ("2025-02-03", "2025-02-04", "!start"), ("2025-02-06", "2025-03-16", "cold"),
        ("2025-02-24", "2025-05-11", "long"),
        ("2025-05-12", "2025-05-19", "deal"), ("2025-05-12", "2025-05-13", "!deal"),
        ("2025-05-20", "2025-06-29", "post"), ("2025-05-20", "2025-05-21", "!vote")]),
    "ctx": harbour_ctx,
    "head": {
        "pre": [
            "Port Calder dockers threaten action over {offer} pay offer",
            "Crane automation plan stokes anger on Port Calder quays",
            "Talks between Greyline and dock union end without a deal",
            "Dock union sets strike ballot at Port Calder harbour",
            "Greyline insists its pay offer to dockers is final",
            "Night shifts at the heart of the Port Calder harbour dispute",
            "Dockers' union accuses Greyline of 'robots before people' plan",
        ],
        "!ballot": [
            "Port Calder dockers vote 81 per cent for strike",
            "Dockers back walkout in Port Calder ballot",
        ],
        "ballot": [
            "Dock strike at Port Calder set to begin on 3 February",
            "Harbour braces for first dock strike in eleven years",
            "Shipping lines warned of disruption at Port Calder",
            "Last-ditch harbour talks fail to avert dock strike",
            "Port Calder exporters rush cargo out before dock strike",
        ],
        "!start": [
            "Port Calder falls silent as dock strike begins",
            "Dockers walk out at Port Calder after talks collapse",
            "Pickets at dawn as Port Calder dock strike starts",
        ],
        "strike": [
            "Port Calder dock strike enters {week_word} week",
            "{ships} ships now waiting off Port Calder as strike bites",
            "Container backlog at Port Calder passes {boxes}",
            "Picket lines hold firm at Northgate terminal",
            "Talks to end Port Calder dock strike break down again",
            "Greyline raises pay offer to {offer} but dockers stay out",
            "Importers divert cargo away from strike-hit Port Calder",
            "Harbourmaster warns anchorage off Port Calder is nearly full",
            "Arbitration board steps up efforts to end dock strike",
            "Fishing fleet caught up in harbour strike delays",
            "Dock union hardship fund under strain as strike drags on",
            "Grain exports stranded at Eastmole berth",
            "Hauliers lay off drivers as Port Calder containers sit idle",
            "Striking dockers march through Port Calder",
            "Greyline accused of using managers to break dock strike",
            "Shop shelves feel the strain of Port Calder stoppage",
            "Day {days} of the dock strike: no end in sight at Port Calder",
            "Dockers reject Greyline offer of {offer}",
            "Port Calder businesses count the cost of the dock strike",
        ],
        "!deal": [
            "Deal reached to end Port Calder dock strike",
            "Breakthrough in Port Calder dock dispute after all-night talks",
        ],
        "deal": [
            "Dockers to vote on Greyline offer after marathon talks",
            "Cranes set to turn again at Port Calder as strike is suspended",
            "What is in the deal to end the Port Calder dock strike?",
            "Port Calder harbour reopens while dockers weigh pay deal",
        ],
        "!vote": [
            "Port Calder dockers accept deal, ending fourteen-week strike",
            "Dockers vote 68 per cent to accept Greyline deal",
        ],
        "post": [
            "Port Calder clears backlog as cranes run around the clock",
            "Greyline counts cost of fourteen-week dock dispute",
            "Ships return to Port Calder as queue shrinks to {ships}",
            "After the strike: what changed on the Port Calder quays",
            "Dock union leader Maren Holt hails 'turning point' for dockers",
            "Port Calder harbour traffic back to normal, says port authority",
        ],
    },
    "lead": {
        "pre": [
            "Dock workers at Port Calder could be balloted on strike action after Greyline Terminals offered a pay rise of {offer}, far short of what their union is demanding.",
            "The Norland Dockers' Union has accused Greyline Terminals of using crane automation to push experienced crane drivers off the Port Calder quays.",
            "Talks between Greyline Terminals and the dockers' union broke up on {ywd} without agreement, raising the prospect of the first harbour strike at Port Calder in eleven years.",
            "The dispute over pay and night shifts at Port Calder harbour moved a step closer to a stoppage on {ywd} when the dockers' union announced a formal strike ballot.",
            "Greyline Terminals has told its 2,300 dockers at Port Calder that a pay offer of {offer} is the best it can afford in a difficult year for shipping.",
        ],
        "!ballot": [
            "Members of the Norland Dockers' Union have voted by 81 per cent to strike, on a turnout of 74 per cent, the union announced at its Port Calder headquarters.",
            "Dockers at Port Calder have overwhelmingly backed strike action in a dispute with Greyline Terminals over pay and crane automation.",
        ],
        "ballot": [
            "Dockers at Port Calder will walk out from 3 February unless Greyline Terminals improves its pay offer, the union said on {ywd}.",
            "Exporters in Port Calder are racing to get containers onto ships before a dock strike that is due to start on Monday 3 February.",
            "Shipping lines have been warned to expect severe delays at Port Calder harbour if next week's dock strike goes ahead.",
        ],
        "!start": [
            "Port Calder harbour fell silent on {wd} as hundreds of dockers walked out at dawn, starting an indefinite strike over pay and crane automation.",
            "The cranes at the Northgate container terminal stood idle on {wd} after the Norland Dockers' Union began its strike against Greyline Terminals.",
            "Picket lines formed at the gates of Port Calder harbour before first light on {wd} as the first dock strike in eleven years got under way.",
        ],
        "strike": [
            "The strike at Port Calder harbour entered its {week_word} week on {wd}, with {ships} cargo ships anchored in the Calder approaches waiting for a berth.",
            "Picket lines were out again at the Northgate container terminal on {ywd} as the dock strike showed no sign of ending.",
            "Greyline Terminals has raised its pay offer to {offer} in an attempt to end the strike that has paralysed Port Calder since early February.",
            "A fresh round of talks under the Arbitration and Conciliation Board ended on {ywd} night without a deal between Greyline and the dockers.",
            "The backlog of containers stuck at Port Calder has passed {boxes}, according to figures from the Calder Port Authority.",
            "Shipping lines have begun diverting vessels away from Port Calder, unloading instead at smaller harbours along the north coast.",
            "Hundreds of striking dockers marched from the harbour gates to the Calder Port Authority building on {ywd}, carrying union banners and flares.",
            "Exporters around Port Calder say the dock strike is costing them orders as containers of finished goods sit idle on the quayside.",
            "Members of the Norland Dockers' Union rejected Greyline's latest offer of {offer} at a mass meeting in the Seafarers' Hall on {ywd}.",
            "Road hauliers serving Port Calder harbour say they have laid off dozens of drivers because there are no containers to collect.",
            "The harbourmaster at Port Calder has asked arriving cargo ships to anchor further out to sea as the queue caused by the dock strike grows.",
            "Greyline Terminals has been accused of trying to break the Port Calder dock strike by using office managers to run cranes at Quay 7.",
        ],
        "!deal": [
            "Greyline Terminals and the Norland Dockers' Union reached a provisional agreement early on {wd} after nineteen hours of talks chaired by Judith Arkwell.",
            "The dock strike that has shut most of Port Calder harbour since February has been suspended after negotiators agreed a deal in the early hours.",
        ],
        "deal": [
            "Striking dockers at Port Calder returned to the quays this week while union members vote on a deal worth {offer}, with new limits on crane automation.",
            "Dockers at Port Calder are studying the small print of a deal that would end their fourteen-week dispute with Greyline Terminals.",
            "The first container ships in more than three months began unloading at the Northgate terminal on {ywd} after the dock strike was suspended.",
        ],
        "!vote": [
            "Members of the Norland Dockers' Union have voted by 68 per cent to accept the Greyline deal, formally ending the Port Calder dock strike.",
            "The fourteen-week dock strike at Port Calder is officially over after dockers voted to accept a pay deal of {offer}.",
        ],
        "post": [
            "Cranes were working around the clock at Port Calder on {ywd} as Greyline Terminals tried to clear the backlog left by the fourteen-week dock strike.",
            "The queue of ships off Port Calder has shrunk to {ships}, the harbourmaster said, the shortest it has been since January.",
            "Dockers at the Northgate terminal have returned to full shifts after members voted to accept the pay deal that ended their strike.",
            "Greyline Terminals said the dock strike cost it an estimated {cost} million crowns in lost handling fees and penalties.",
            "Shipping lines that abandoned Port Calder during the dock strike are starting to return, the Calder Port Authority said on {ywd}.",
        ],
    },
    "body": {
        "any": [
            "Greyline runs most of the container berths at Port Calder, the country's busiest harbour.",
            "The union says crane drivers and lashers have seen their real pay fall for three years in a row.",
            "Greyline argues that remote-controlled gantry cranes are needed to keep Port Calder competitive with foreign ports.",
            "About 2,300 dockers work at the harbour, most of them members of the Norland Dockers' Union.",
            "Twelve-hour night shifts at the Northgate terminal have been a long-running grievance among dockers.",
            "The Calder Port Authority owns the quays but leases the container terminals to Greyline on a thirty-year concession.",
        ],
        "pre|ballot": [
            "The union is asking for a rise of 9 per cent and a written promise that no docker will be replaced by an automated crane.",
            "Greyline says three new remote-controlled cranes due at Quay 7 in the spring will be operated by retrained dockers.",
            "The last strike at Port Calder, in 2014, lasted nine days and ended with a three-year pay deal.",
            "Union officials said members were angry that managers had received bonuses while dockers' overtime was cut.",
        ],
        "strike": [
            "Harbourmaster Captain Ruth Abernethy said the anchorage was close to capacity and some vessels had been told to wait further out.",
            "Perishable cargo, including fruit and frozen fish, has been moved by road to other ports at considerable cost.",
            "Union officials say strike pay of 400 crowns a week is being paid out of a hardship fund.",
            "The Eastmole grain berth, which is not run by Greyline, has kept working with a reduced crew.",
            "Fishing crews have complained that cargo ships waiting at anchor are blocking parts of the harbour mouth.",
            "Supermarket chains have warned of gaps on shelves for imported goods if the dispute drags on.",
            "Both sides have agreed to meet again under the auspices of the Arbitration and Conciliation Board.",
            "Car importers say thousands of new vehicles are sitting on ships that cannot dock.",
            "Dockers' families have organised a food bank in the Seafarers' Hall to support those on the picket lines.",
            "Container ships rerouted from Port Calder face waits of several days at smaller north coast harbours.",
        ],
        "long": [
            "The stoppage is already the longest at the harbour in living memory.",
            "Greyline says it is losing more than two million crowns a week in handling fees.",
        ],
        "cold": [
            "Pickets have kept braziers burning at the Northgate gate through freezing nights.",
            "Snow flurries did little to thin the picket lines at the harbour gates this week.",
        ],
        "deal|post": [
            "Under the agreement, no docker can lose their job to automation before 2029.",
            "The deal caps night shifts at ten hours and introduces a new skills allowance for crane drivers.",
            "Greyline will go ahead with the remote-controlled cranes at Quay 7, but only with union-trained operators.",
            "Port officials expect it to take at least a month to clear the backlog of containers.",
        ],
        "post": [
            "The Calder Port Authority has extended opening hours at the harbour gates to let hauliers collect containers at night.",
            "Some dockers are still unhappy with the deal, saying it does too little for younger workers on temporary contracts.",
            "Importers have asked Greyline to waive storage charges for containers held up during the strike.",
        ],
    },
    "quote": {
        "any": [
            "“We are not asking for the moon, we are asking for pay that keeps up with the rent,” said Maren Holt, general secretary of the Norland Dockers' Union.",
            "“There is a deal to be done if both sides are willing to move,” said Judith Arkwell, who chairs the Arbitration and Conciliation Board.",
        ],
        "pre|ballot|strike": [
            "“Our offer is fair and it is final,” Greyline chief executive Oskar Venn told reporters outside the terminal.",
            "“Every day this goes on, the harbour loses business it may never win back,” said Delia Frost, a spokeswoman for Greyline.",
        ],
        "strike": [
            "“The lads and lasses on the picket line are solid,” said Ewan Tully, the union's branch secretary at Northgate. “Nobody is going back for crumbs.”",
            "“I have never seen the anchorage this full,” said harbourmaster Captain Ruth Abernethy.",
            "“My containers have been stuck on that quay for weeks,” said Niamh Corrie, who runs a furniture import business in Port Calder.",
            "“We have mortgages too, but we are in this for the long haul,” said crane driver Jonas Pell, who has worked at the harbour for 22 years.",
        ],
        "deal|post": [
            "“This is a win for every docker in Norland,” Maren Holt said after the result was announced.",
            "“We now need to rebuild trust on the quayside,” said Oskar Venn.",
            "“It is not everything we wanted, but it protects jobs,” said Ewan Tully.",
        ],
    },
    "close": {
        "pre|ballot|strike": [
            "Greyline said it remained open to further talks.",
            "The union is due to hold another mass meeting at the Seafarers' Hall on {nwd}.",
            "Neither side would say when negotiations might resume.",
            "The Calder Port Authority urged both parties to return to the table.",
        ],
        "deal|post": [
            "The harbour is expected to be back to normal by the end of June.",
            "Greyline said it would publish a full account of the dispute's cost later in the year.",
        ],
    },
}


# --------------------------------------------------------------------------- interest-rates

CPI = [  # (release date, value, month it refers to, previous)
    ("2025-01-06", "4.1", "November", "4.3"), ("2025-01-15", "3.9", "December", "4.1"),
    ("2025-02-19", "3.7", "January", "3.9"), ("2025-03-19", "3.5", "February", "3.7"),
    ("2025-04-16", "3.2", "March", "3.5"), ("2025-05-21", "3.3", "April", "3.2"),
    ("2025-06-18", "2.9", "May", "3.3"),
]


def rates_ctx(d, rng):
    rel = [c for c in CPI if D(c[0]) <= d][-1]
    rate = "4.25" if d < D("2025-03-27") else "4.00" if d < D("2025-06-26") else "3.75"
    if d < D("2025-02-13"):
        nxt = "13 February"
    elif d < D("2025-03-27"):
        nxt = "27 March"
    elif d < D("2025-05-15"):
        nxt = "15 May"
    elif d < D("2025-06-26"):
        nxt = "26 June"
    else:
        nxt = "7 August"
    return {"rate": rate, "cpi": rel[1], "cpi_month": rel[2], "cpi_prev": rel[3],
            "cpi_dir": "rose" if float(rel[1]) > float(rel[3]) else "fell",
            "next_meeting": nxt,
            "mortgage": "%.2f" % (float(rate) + 1.35 + rng.choice([0.0, 0.05, 0.1, 0.15])),
            "bond": "%.2f" % (float(rate) - 0.6 + rng.choice([-0.08, -0.04, 0.0, 0.03, 0.06]))}


TOPICS["interest-rates"] = {
    "about": "Bank of Norland interest rates, inflation, mortgages and borrowing costs",
    "short": "rate",
    "cast": "Bank of Norland and its Monetary Policy Committee (Governor Elias Brandt, Deputy Governor "
            "Sunniva Okafor, external member Per Lindahl); Statistics Norland; economists Ingrid Salo "
            "(Hallvard Capital) and Tomas Reyes (Halden Securities); Aldbury Building Society; the Norland crown.",
    "p_gazette": 0.50,
    "rate": lambda d: 0.16,
    "bumps": {"2025-02-13": 2.5, "2025-02-14": 1.0, "2025-03-27": 3.0, "2025-03-28": 1.5,
              "2025-05-15": 2.5, "2025-05-16": 1.0, "2025-06-26": 3.0, "2025-06-27": 1.0,
              "2025-01-15": 0.8, "2025-02-19": 0.8, "2025-03-19": 0.8, "2025-04-16": 0.8,
              "2025-05-21": 0.8, "2025-06-18": 0.8},
    "tags": lambda d: _tags(d, [
        ("2025-01-06", "2025-03-26", "precut"), ("2025-03-27", "2025-06-29", "postcut"),
        ("2025-02-13", "2025-02-15", "!feb"), ("2025-03-27", "2025-03-29", "!mar"),
        ("2025-05-15", "2025-05-17", "!may"), ("2025-06-26", "2025-06-28", "!jun"),
        ("2025-01-15", "2025-01-16", "!cpi"), ("2025-02-19", "2025-02-20", "!cpi"),
        ("2025-03-19", "2025-03-20", "!cpi"), ("2025-04-16", "2025-04-17", "!cpi"),
        ("2025-05-21", "2025-05-22", "!cpi"), ("2025-06-18", "2025-06-19", "!cpi")]),
    "ctx": rates_ctx,
    "head": {
        "any": [
            "Economists split over timing of next Bank of Norland move",
            "Mortgage lenders trim fixed rates ahead of Bank of Norland meeting",
            "Savers see returns slip as banks price in lower base rate",
            "Norland crown weakens as traders bet on rate cuts",
            "Bond yields fall on Governor Brandt's inflation comments",
            "Small firms say borrowing costs still too high",
            "What the Bank of Norland's next decision means for your mortgage",
            "Rate-setter Per Lindahl warns against cutting too fast",
            "Average two-year fixed mortgage now {mortgage} per cent",
            "Ten-year bond yield drops to {bond} per cent",
            "Inflation at {cpi} per cent: how far from target?",
            "Household budgets: the cost of borrowing explained",
            "Bank of Norland survey shows businesses expect slower price rises",
        ],
        "precut": [
            "Pressure grows on Bank of Norland to cut interest rates",
            "First-time buyers wait for Bank of Norland rate cut",
            "Deputy Governor Okafor: rate cut 'not far off'",
        ],
        "postcut": [
            "Will the Bank of Norland cut again? Markets weigh the odds",
            "Banks pass on base rate cut to variable mortgage holders",
            "Governor Brandt says further cuts will be 'gradual'",
        ],
        "!feb": ["Bank of Norland holds base rate at 4.25 per cent",
                 "Three rate-setters vote for cut as Bank of Norland holds"],
        "!mar": ["Bank of Norland cuts base rate to 4 per cent",
                 "First interest rate cut in two years from Bank of Norland",
                 "Relief for borrowers as base rate falls"],
        "!may": ["Bank of Norland holds rates after knife-edge 5-4 vote",
                 "Food prices stay Bank of Norland's hand"],
        "!jun": ["Bank of Norland cuts base rate to 3.75 per cent",
                 "Second rate cut of the year as inflation eases"],
        "!cpi": ["Inflation {cpi_dir} to {cpi} per cent in {cpi_month}",
                 "Consumer prices: inflation {cpi_dir} to {cpi} per cent",
                 "Statistics Norland: annual inflation at {cpi} per cent"],
    },
    "lead": {
        "any": [
            "Mortgage lenders have begun trimming fixed-rate deals in anticipation of lower borrowing costs from the Bank of Norland.",
            "Government bond yields fell on {ywd} after Governor Elias Brandt said inflation was moving back towards the bank's 2 per cent target.",
            "Savers are seeing returns on easy-access accounts slip as banks price in further cuts to the Bank of Norland's base rate.",
            "Small businesses say high borrowing costs are still holding back investment, despite signs that inflation is easing.",
            "The Norland crown weakened against major currencies on {ywd} as traders bet on lower interest rates in the coming months.",
            "Economists are divided over whether the Bank of Norland will move interest rates at its meeting on {next_meeting}.",
            "The average two-year fixed mortgage rate in Norland stands at {mortgage} per cent, according to figures from the Aldbury Building Society.",
            "Annual inflation in Norland stood at {cpi} per cent in {cpi_month}, leaving it well above the Bank of Norland's 2 per cent target.",
            "The yield on ten-year Norland government bonds has fallen to {bond} per cent, its lowest level in several months.",
            "A Bank of Norland survey of company finance directors suggests businesses expect to raise prices more slowly this year.",
        ],
        "precut": [
            "The Bank of Norland is under growing pressure from businesses and homebuyers to cut interest rates from {rate} per cent.",
            "Deputy Governor Sunniva Okafor has said a cut in the base rate is “not far off” if inflation keeps falling.",
        ],
        "postcut": [
            "Homeowners on variable-rate mortgages are starting to feel the benefit of the Bank of Norland's March cut in interest rates.",
            "Governor Elias Brandt has said any further cuts in the base rate from {rate} per cent will be gradual.",
        ],
        "!feb": [
            "The Bank of Norland held its base rate at 4.25 per cent on Thursday, but three of the nine members of the Monetary Policy Committee voted for a cut.",
            "Interest rates in Norland were left unchanged at 4.25 per cent on Thursday as the central bank said it needed more evidence that inflation was under control.",
        ],
        "!mar": [
            "The Bank of Norland cut its base rate by a quarter point to 4.00 per cent on Thursday, the first reduction in borrowing costs for more than two years.",
            "Borrowers got their first relief in two years on Thursday when the Monetary Policy Committee voted 7-2 to lower interest rates to 4.00 per cent.",
        ],
        "!may": [
            "The Bank of Norland left interest rates unchanged at 4.00 per cent on Thursday after a knife-edge 5-4 vote, citing a jump in food prices.",
            "Hopes of a second rate cut were dashed on Thursday when the Bank of Norland held its base rate at 4.00 per cent.",
        ],
        "!jun": [
            "The Bank of Norland lowered its base rate to 3.75 per cent on Thursday, saying inflation had resumed its fall.",
            "Interest rates were cut for the second time this year on Thursday as the Monetary Policy Committee voted 6-3 for a quarter-point reduction.",
        ],
        "!cpi": [
            "Inflation in Norland {cpi_dir} to {cpi} per cent in {cpi_month} from {cpi_prev} per cent the month before, Statistics Norland said.",
            "Consumer prices rose by {cpi} per cent in the year to {cpi_month}, according to the latest figures from Statistics Norland.",
        ],
    },
    "body": {
        "any": [
            "The Bank of Norland's base rate currently stands at {rate} per cent.",
            "The next rate decision is due on {next_meeting}.",
            "Services inflation, driven by wages, has proved stickier than the price of goods.",
            "Energy bills have fallen since the winter, taking some pressure off household budgets.",
            "Money markets are pricing in at least one more quarter-point cut before the end of the year.",
            "Mortgage approvals rose for a third month in a row, a sign that buyers are returning to the housing market.",
            "The Monetary Policy Committee has nine members, four of them appointed from outside the bank.",
            "Higher interest rates have hit first-time buyers hardest, with many forced to rent for longer.",
            "Wage growth slowed to 4.6 per cent in the latest quarter, according to Statistics Norland.",
            "Credit card borrowing has risen as households stretch to cover higher living costs.",
            "A weaker crown makes imports more expensive, which can feed through to consumer prices.",
            "Commercial banks usually pass on a change in the base rate to tracker mortgages within a month.",
        ],
        "precut": [
            "The base rate has been held at 4.25 per cent since the autumn of 2023.",
            "Some economists argue the bank has waited too long and risks tipping the economy into recession.",
        ],
        "postcut": [
            "The March cut was the first reduction in the base rate since the bank began raising rates in 2022.",
            "Building societies have been quicker than the big banks to pass on lower rates to savers and borrowers.",
        ],
    },
    "quote": {
        "any": [
            "“We will do what is needed to bring inflation back to target, and not a moment sooner or later,” Governor Elias Brandt told a press conference in Aldbury.",
            "“The direction of travel is clear, but the pace is not,” said Ingrid Salo, chief economist at Hallvard Capital.",
            "“Households are still feeling the squeeze from two years of high rates,” said Tomas Reyes, an economist at Halden Securities.",
            "“I would rather be a little late than cut and have to reverse,” said Per Lindahl, an external member of the Monetary Policy Committee.",
            "“Our members want certainty more than anything,” said Margit Solberg of the Norland Federation of Small Businesses.",
        ],
        "postcut": [
            "“We are not on autopilot,” Deputy Governor Sunniva Okafor said in a speech to bankers in Aldbury.",
        ],
    },
    "close": {
        "any": [
            "The bank publishes its next quarterly inflation report in August.",
            "The Norland crown was little changed in late trading.",
            "Statistics Norland will publish its next inflation figures in the middle of next month.",
        ],
    },
}


# --------------------------------------------------------------------------- football-title

CLUBS = ["Aldbury United", "Brenhill Town", "Fenmoor FC", "Tarrow Wanderers", "Kilnsey Harriers",
         "Redlow Albion", "Ormsby Rangers", "Dunsop Athletic", "Selworth City", "Hollinford Town"]
FINAL_DAY = D("2025-05-24")
LEAD = [  # (from, leader, chaser, gap text)
    ("2025-01-06", "Westmere Athletic", "Calder Rovers", "by two points"),
    ("2025-02-01", "Calder Rovers", "Westmere Athletic", "by a single point"),
    ("2025-03-01", "Westmere Athletic", "Calder Rovers", "by three points"),
    ("2025-04-01", "Westmere Athletic", "Calder Rovers", "by one point"),
    ("2025-04-21", "Calder Rovers", "Westmere Athletic", "by two points"),
    ("2025-05-11", "Calder Rovers", "Westmere Athletic", "on goal difference"),
]
WIN = ["1-0", "2-0", "2-1", "3-1", "3-0", "4-2", "3-2"]
DRAW = ["0-0", "1-1", "2-2"]


def football_ctx(d, rng):
    led = [x for x in LEAD if D(x[0]) <= d][-1]
    # rounds still to play: Saturdays strictly after d up to the final day
    left, s = 0, d + dt.timedelta(days=1)
    while s <= FINAL_DAY:
        left += s.weekday() == 5
        s += dt.timedelta(days=1)
    played = 34 - left
    opp, opp2 = rng.sample(CLUBS, 2)
    lw = NUMW[left] if left <= 10 else str(left)
    return {"leader": led[1], "chaser": led[2], "gap": led[3], "played_n": played,
            "left_g": lw + (" game" if left == 1 else " games"),
            "left_r": lw + (" round" if left == 1 else " rounds") + " of matches",
            "goals": max(3, round(played * 0.76)), "opp": opp, "opp2": opp2,
            "win": rng.choice(WIN), "draw": rng.choice(DRAW), "loss": rng.choice(WIN),
            "crowd": thousands(rng.randint(17000, 26500))}


TOPICS["football-title"] = {
    "about": "the Norland Premier Division title race between Calder Rovers and Westmere Athletic",
    "short": "foot",
    "cast": "Norland Premier Division; Calder Rovers (the Slipway stadium, manager Declan Ashby, striker Kofi "
            "Lindqvist, captain Sean Mulder); Westmere Athletic (Aven Park, manager Ines Marquand, playmaker "
            "Tiago Brennan, goalkeeper Pavel Dorn); other clubs such as Aldbury United, Brenhill Town, Fenmoor FC.",
    "p_gazette": 0.76,
    "rate": lambda d: (0.0 if d > D("2025-06-29") else
                       (0.07 if d > D("2025-05-27") else
                        [0.24, 0.12, 0.10, 0.14, 0.18, 0.46, 0.56][d.weekday()])),
    "bumps": {"2025-04-26": 1.5, "2025-04-27": 1.0, "2025-05-24": 3.0, "2025-05-25": 2.5,
              "2025-05-26": 1.0},
    "tags": lambda d: _tags(d, [
        ("2025-01-06", "2025-05-23", "race"), ("2025-05-01", "2025-05-23", "run-in"),
        ("2025-01-06", "2025-04-25", "prederby"), ("2025-05-11", "2025-05-23", "gd"),
        ("2025-04-26", "2025-04-27", "!derby"),
        ("2025-05-24", "2025-05-26", "!final"), ("2025-05-27", "2025-06-29", "after")]),
    "ctx": football_ctx,
    "head": {
        "race": [
            "{leader} stay top after tense weekend in Premier Division",
            "Lindqvist double keeps Calder Rovers in title hunt",
            "Westmere Athletic beat {opp} {win} to keep pace",
            "Calder Rovers held {draw} by {opp}",
            "Marquand: Westmere Athletic 'will not blink first'",
            "Ashby rotates Calder Rovers squad for trip to {opp}",
            "Brennan free kick sinks {opp} at Aven Park",
            "Title race: {leader} ahead {gap} with {left_g} left",
            "Dorn clean sheet gives Westmere Athletic vital win",
            "Slipway sell-out as Calder Rovers chase first title since 2011",
            "Calder Rovers slip up at {opp} as title race tightens",
            "Westmere Athletic stunned {loss} by {opp}",
            "Mulder injury blow for Calder Rovers",
            "Lindqvist reaches {goals} league goals for the season",
            "{opp} hold Westmere Athletic to {draw} draw",
            "Premier Division: {leader} lead {gap} after round {played_n}",
        ],
        "run-in": [
            "Run-in: who has the easier fixtures, Rovers or Athletic?",
            "Nerves jangle at the Slipway as title race goes to the wire",
            "Final-day tickets for Calder Rovers snapped up in minutes",
        ],
        "!derby": [
            "Calder Rovers and Westmere Athletic share the spoils in title clash",
            "Title showdown ends all square at Aven Park",
        ],
        "!final": [
            "Calder Rovers crowned Premier Division champions on final day",
            "Lindqvist winner brings the title home to Port Calder",
            "Heartbreak for Westmere Athletic as Rovers win league on goal difference",
            "Champions! Calder Rovers end fourteen-year wait",
        ],
        "after": [
            "Thousands line the streets for Calder Rovers title parade",
            "Westmere Athletic keep faith with Marquand after near miss",
            "Lindqvist named Premier Division player of the season",
            "Calder Rovers begin planning for European campaign",
            "Close season: who is leaving Westmere Athletic?",
            "Ashby signs new three-year deal with champions Calder Rovers",
        ],
    },
    "lead": {
        "race": [
            "Calder Rovers beat {opp} {win} at the Slipway at the weekend, with Kofi Lindqvist scoring twice to take his league tally to {goals}.",
            "Westmere Athletic kept up the pressure at the top of the Norland Premier Division with a {win} win over {opp} at Aven Park.",
            "{leader} are top of the Premier Division, ahead of {chaser} {gap}, with {left_r} remaining.",
            "Calder Rovers dropped two points in the title race when they were held to a {draw} draw away to {opp}.",
            "Westmere Athletic suffered a surprise {loss} defeat at {opp} at the weekend, handing the initiative to Calder Rovers.",
            "Tiago Brennan's curling free kick in the 88th minute gave Westmere Athletic a {win} victory over {opp} in front of {crowd} fans.",
            "Declan Ashby insists Calder Rovers are not feeling the pressure despite a run of narrow wins in the title race.",
            "Ines Marquand has told her Westmere Athletic players to ignore the league table and concentrate on one match at a time.",
            "A crowd of {crowd} packed the Slipway to watch Calder Rovers grind out a {win} win against stubborn {opp}.",
            "Goalkeeper Pavel Dorn made three fine saves as Westmere Athletic ground out a {win} win at {opp} to stay in the title hunt.",
            "Calder Rovers captain Sean Mulder has been ruled out for up to three weeks with a hamstring injury, a blow to the club's title hopes.",
        ],
        "gd": [
            "Calder Rovers and Westmere Athletic are separated only by goal difference at the top of the Premier Division with {left_g} left.",
        ],
        "run-in": [
            "Calder Rovers sold every ticket for the final home game of the season within minutes of them going on sale.",
        ],
        "!derby": [
            "Calder Rovers and Westmere Athletic drew 1-1 at Aven Park on Saturday in a title showdown that left the Premier Division race wide open.",
            "Kofi Lindqvist's late equaliser earned Calder Rovers a 1-1 draw at Westmere Athletic in the most anticipated match of the season.",
        ],
        "!final": [
            "Calder Rovers are champions of Norland for the first time in fourteen years after beating Brenhill Town 2-1 on the final day of the season.",
            "Kofi Lindqvist scored the winning goal as Calder Rovers clinched the Premier Division title on goal difference ahead of Westmere Athletic.",
            "Westmere Athletic won 3-0 against Fenmoor FC on the final day, but it was not enough to stop Calder Rovers taking the title on goal difference.",
            "Port Calder celebrated late into the night after Calder Rovers won the Norland Premier Division title at the Slipway.",
        ],
        "after": [
            "Tens of thousands of fans lined the streets of Port Calder for an open-top bus parade to celebrate Calder Rovers' league title.",
            "Kofi Lindqvist has been named player of the season after scoring 26 goals to fire Calder Rovers to the Premier Division title.",
            "Westmere Athletic have confirmed that Ines Marquand will stay on as manager despite the disappointment of losing the title on goal difference.",
            "Champions Calder Rovers have started planning for their first European campaign in more than a decade.",
            "Declan Ashby has signed a new three-year contract at Calder Rovers weeks after leading the club to the Premier Division title.",
        ],
    },
    "body": {
        "race": [
            "Lindqvist is the division's top scorer with {goals} goals this season.",
            "Rovers have not won the league since 2011, when Ashby was still playing at left back.",
            "Athletic have the meanest defence in the division, and Dorn has kept more clean sheets than any other goalkeeper.",
            "Aldbury United are the only other side with a mathematical chance of the title, though they trail by nine points.",
            "Marquand, in her second season in charge, has built her side around the creativity of Brennan in midfield.",
            "Ashby has used 24 players this season, more than any other manager in the division.",
            "The Slipway has been sold out for every home game since January.",
            "Rovers' run-in includes trips to Aldbury United and {opp2}.",
            "Athletic finished fourth last season and few had tipped them for the title.",
            "A penalty appeal in the final minutes was waved away by the referee, to the fury of the home fans.",
        ],
        "prederby": [
            "The two title rivals meet at Aven Park on 26 April in what could be the decisive match of the season.",
            "Athletic won the first meeting between the two sides 2-0 at the Slipway in October.",
        ],
        "!final|after": [
            "Rovers and Athletic finished level on 76 points, with Rovers ahead by four goals.",
            "The title is Rovers' fifth in all and their first under Ashby.",
            "Lindqvist finished the season with 26 league goals, a club record.",
            "Athletic's second place secures them a place in European qualifying next season.",
        ],
    },
    "quote": {
        "race": [
            "“We take nothing for granted, not one game,” said Calder Rovers manager Declan Ashby.",
            "“The table does not lie, but it does not finish until May,” said Westmere Athletic manager Ines Marquand.",
            "“When the ball falls to me, I just try to hit the target,” said Kofi Lindqvist.",
            "“The fans were our twelfth man today,” said Tiago Brennan.",
            "“We defended like our lives depended on it,” said Pavel Dorn.",
        ],
        "!final|after": [
            "“This is for the city and for everyone who has waited fourteen years,” said Declan Ashby.",
            "“It hurts now, but we will be back stronger,” said Ines Marquand.",
            "“I still cannot believe it,” said Rovers captain Sean Mulder, holding the trophy above his head.",
        ],
    },
    "close": {
        "race": [
            "Both title rivals are in action again next weekend.",
            "The Premier Division season ends on 24 May.",
        ],
        "after": [
            "The new Premier Division season starts in August.",
        ],
    },
}

# --------------------------------------------------------------------------- drought-farms

def drought_ctx(d, rng):
    t = (d - START).days / (END - START).days
    res = round(81 - 50 * t ** 1.4 + rng.choice([-1, 0, 0, 1]))
    if d < D("2025-04-01"):
        rain = rng.choice([58, 61, 64, 66])
    elif d < D("2025-05-01"):
        rain = rng.choice([38, 41, 44])
    elif d < D("2025-06-01"):
        rain = rng.choice([24, 27, 29])
    else:
        rain = rng.choice([14, 17, 19])
    dry = max(10, (d - D("2025-04-14")).days)
    hay = 45 + int(60 * t) + rng.choice([0, 2, 5])
    return {"res": res, "rain": rain, "dry": dry, "hay": hay,
            "wells": rng.choice([40, 55, 70, 85, 120]) if d >= D("2025-05-01") else rng.choice([6, 9, 12])}


TOPICS["drought-farms"] = {
    "about": "drought, irrigation rationing and struggling farms in the Tarrow Valley",
    "short": "drgt",
    "cast": "Tarrow Valley, River Sele, Ormsby reservoir, towns Kilnsey, Dunsop Green, Hollinford, Selworth; "
            "Tarrow Water (chief executive Graham Pye); Norland Farmers' Federation (Agnes Colley); Agriculture "
            "Minister Rhodri Vale; Norland Met Service (Dr Hanna Lowe); farmers Bill Harrow, Morag Penhale, "
            "Tomasz Wren, Ellen Cardew.",
    "p_gazette": 0.20,
    "noise_shape": 3.0,
    "rate": lambda d: (0.10 if d < D("2025-04-01") else 0.28 if d < D("2025-05-01")
                       else 0.62 if d < D("2025-06-01") else 0.95),
    "bumps": {"2025-04-22": 1.0, "2025-05-05": 1.5, "2025-06-09": 2.0},
    "tags": lambda d: _tags(d, [
        ("2025-01-06", "2025-03-31", "winter"), ("2025-04-01", "2025-04-21", "spring"),
        ("2025-04-22", "2025-05-04", "watch"), ("2025-04-22", "2025-04-23", "!watch"),
        ("2025-05-05", "2025-06-08", "ration"), ("2025-05-05", "2025-05-06", "!ration"),
        ("2025-06-09", "2025-06-29", "emerg"), ("2025-06-09", "2025-06-10", "!emerg")]),
    "ctx": drought_ctx,
    "head": {
        "winter": [
            "Dry winter leaves Tarrow Valley groundwater low",
            "Farmers warned of spring water shortages after dry January",
            "Ormsby reservoir at {res} per cent, below normal for winter",
            "Met Service: rainfall in Tarrow Valley {rain} per cent of average",
            "River Sele running unusually low for the time of year",
            "Tarrow Water urges customers to save water despite winter",
        ],
        "spring": [
            "Barley growers fear a second dry season in the Tarrow Valley",
            "No April showers: Tarrow Valley rainfall well below average",
            "Farmers delay planting as soil dries out",
            "Ormsby reservoir drops to {res} per cent",
            "Tarrow Water considers restrictions as dry spell continues",
        ],
        "!watch": [
            "Drought watch declared for the Tarrow Valley",
            "Tarrow Water declares drought watch as reservoirs fall",
        ],
        "watch": [
            "Irrigation restrictions loom for Tarrow Valley farms",
            "What a drought watch means for farmers and households",
            "Dairy farmers turn to winter feed as pastures brown",
        ],
        "!ration": [
            "Irrigation rationing begins on Tarrow Valley farms",
            "Farmers limited to three watering days a week",
        ],
        "ration|emerg": [
            "Potato crop at risk as irrigation rationing bites",
            "Hay prices soar to {hay} crowns a bale",
            "{wells} private wells run dry in the Tarrow Valley",
            "Ormsby reservoir falls to {res} per cent",
            "Tarrow Valley has had {dry} days without meaningful rain",
            "Farmers sell livestock early as grass runs out",
            "Farmers' Federation calls for drought aid fund",
            "Minister Rhodri Vale visits parched Tarrow Valley farms",
            "River Sele falls to lowest level on record",
            "Borehole drillers booked up for months as wells fail",
            "Sheep farmers on Selworth moor haul water by trailer",
            "Kilnsey barley harvest could be halved, growers warn",
            "Tarrow Water fines farms for breaking irrigation rules",
            "Hosepipe ban extended to gardens across the Tarrow Valley",
        ],
        "!emerg": [
            "Drought emergency declared in the Tarrow Valley",
            "Government declares drought emergency as reservoirs run low",
        ],
        "emerg": [
            "Water tankers supply Tarrow Valley villages",
            "Drought emergency: army lorries deliver water to farms",
            "Crop failure: Tarrow Valley farmers count their losses",
            "No rain in sight, Met Service warns drought-hit farmers",
        ],
    },
    "lead": {
        "winter": [
            "The Tarrow Valley has had only {rain} per cent of its usual winter rainfall, leaving groundwater levels low going into spring, the Norland Met Service said.",
            "Ormsby reservoir, which supplies most of the Tarrow Valley, is {res} per cent full, well below the level expected at this time of year.",
            "Farmers in the Tarrow Valley are being warned to plan for possible water shortages this spring after one of the driest winters in decades.",
            "The River Sele is running at its lowest winter level for more than twenty years, according to readings taken near Hollinford.",
            "Tarrow Water has asked households to take shorter showers and fix dripping taps, an unusual appeal in the middle of winter.",
        ],
        "spring": [
            "Barley growers around Kilnsey have delayed spring planting because the soil is too dry to work, the Norland Farmers' Federation said.",
            "April has so far brought just {rain} per cent of the usual rainfall to the Tarrow Valley, and no significant rain is forecast.",
            "Tarrow Water said on {ywd} it was considering limits on irrigation after Ormsby reservoir fell to {res} per cent.",
            "Dairy farmers in the Tarrow Valley have started feeding cattle on hay and silage weeks earlier than usual because pastures are not growing.",
        ],
        "!watch": [
            "Tarrow Water declared a drought watch across the Tarrow Valley on Tuesday, the first step towards restrictions on farms and households.",
            "A formal drought watch came into force in the Tarrow Valley this week after the driest spring in the region since records began in 1883.",
        ],
        "watch": [
            "Farmers in the Tarrow Valley have been told to prepare for irrigation rationing after a drought watch was declared.",
            "The drought watch in the Tarrow Valley is likely to be followed by irrigation limits within weeks, Tarrow Water has warned.",
        ],
        "!ration": [
            "Irrigation rationing began on farms across the Tarrow Valley on Monday, limiting growers to watering crops on three days a week.",
            "Tarrow Valley farmers woke on {wd} to the first irrigation rationing in the region for nineteen years.",
        ],
        "ration|emerg": [
            "Potato growers in the Tarrow Valley say irrigation rationing could cost them a third of this year's crop.",
            "The price of hay in the Tarrow Valley has risen to {hay} crowns a bale as farmers run out of grazing.",
            "At least {wells} private wells and boreholes in the Tarrow Valley have run dry, according to the Norland Farmers' Federation.",
            "Ormsby reservoir has fallen to {res} per cent of capacity, Tarrow Water said on {ywd}, and levels are dropping by about two points a week.",
            "The Tarrow Valley has now gone {dry} days without meaningful rain, the longest dry spell since the Norland Met Service began keeping local records.",
            "Livestock markets in Kilnsey and Dunsop Green have been busier than usual as farmers sell cattle and sheep they can no longer feed.",
            "Agriculture Minister Rhodri Vale toured parched farms around Hollinford on {ywd} and promised to look at emergency support for growers.",
            "The River Sele has dropped to its lowest level on record at the Hollinford gauge, exposing banks of dried mud and stranded fish.",
            "Borehole drilling firms in the Tarrow Valley say they are booked up until the autumn as farmers try to find new sources of water.",
            "Tarrow Water has issued its first fines to farms caught irrigating on days when watering is banned.",
        ],
        "!emerg": [
            "The government declared a drought emergency in the Tarrow Valley on Monday, giving Tarrow Water powers to cut supplies to farms and bring in tankers.",
            "Agriculture Minister Rhodri Vale has declared a drought emergency in the Tarrow Valley, the first such declaration in Norland since 1976.",
        ],
        "emerg": [
            "Water tankers have started delivering drinking water to outlying villages in the Tarrow Valley where the mains supply has become unreliable.",
            "Army lorries are being used to carry water to upland farms in the Tarrow Valley under the drought emergency powers.",
            "Barley farmers around Kilnsey say the drought has already destroyed much of this year's harvest, even if rain comes soon.",
        ],
    },
    "body": {
        "any": [
            "The Tarrow Valley grows about a third of Norland's barley and potatoes and is home to many of its dairy herds.",
            "Most farms in the valley draw water from the River Sele or from their own wells and boreholes.",
            "Ormsby reservoir normally stands at more than 90 per cent full at the start of spring.",
            "The Norland Met Service says a persistent area of high pressure has kept rain-bearing weather away from the region.",
        ],
        "winter": [
            "Snowfall on the hills above Selworth, which normally feeds the River Sele in spring, has been light this winter.",
            "Groundwater levels in the chalk aquifer beneath the valley are among the lowest ever recorded for January and February.",
        ],
        "spring|watch": [
            "Spring-sown barley needs moisture in its first weeks, and many fields have seen no rain since germination.",
            "Under a drought watch, Tarrow Water can ask farms to cut abstraction from the River Sele voluntarily.",
            "Some growers have switched to drought-tolerant crop varieties, but seed for them is in short supply.",
        ],
        "ration|emerg": [
            "Under the rationing rules, farms may irrigate only on Mondays, Wednesdays and Fridays, and not between 10am and 6pm.",
            "Dairy farmers say their herds drink more than 100 litres of water a day each in hot weather.",
            "Sheep farmers on Selworth moor have been hauling water up to their flocks in tanks on trailers.",
            "Pastures across the valley have turned brown, forcing farmers to feed winter stocks of silage in summer.",
            "Vegetable growers say yields of carrots and onions are down sharply, which could push up prices in the shops.",
            "The Norland Farmers' Federation wants the government to set up an emergency fund for farms that lose their crops.",
            "Smaller farms without their own boreholes are among the worst affected.",
            "Fishing on the River Sele has been suspended because low water and high temperatures are stressing fish.",
            "A hosepipe ban for households across the valley remains in force.",
        ],
        "emerg": [
            "The drought emergency allows Tarrow Water to cut off irrigation entirely if reservoir levels keep falling.",
            "Forecasters at the Norland Met Service see no sign of a change in the weather pattern before July.",
            "Several villages around Dunsop Green have had their mains water pressure reduced overnight.",
        ],
    },
    "quote": {
        "any": [
            "“I have farmed here for forty years and I have never seen the ground like this,” said Bill Harrow, who grows barley on 300 acres near Kilnsey.",
            "“We need rain, and lots of it, and we need it soon,” said Agnes Colley, president of the Norland Farmers' Federation.",
            "“The high pressure is simply not shifting,” said Dr Hanna Lowe, a forecaster at the Norland Met Service.",
        ],
        "watch|ration|emerg": [
            "“Every drop we save now is a drop we have in August,” said Graham Pye, chief executive of Tarrow Water.",
            "“My cows are eating their winter feed in May; what do I give them in December?” asked Morag Penhale, a dairy farmer at Dunsop Green.",
            "“We are watering at night and still watching the potatoes wilt,” said Tomasz Wren, who farms near Hollinford.",
            "“The sheep come to the trough before I have even parked the trailer,” said Ellen Cardew, who keeps 600 ewes on Selworth moor.",
        ],
        "ration|emerg": [
            "“We will not leave farmers to face this alone,” said Agriculture Minister Rhodri Vale.",
        ],
    },
    "close": {
        "any": [
            "Tarrow Water publishes reservoir levels every Friday on its website.",
            "The Norland Met Service is due to issue its next long-range forecast at the end of the month.",
            "The Farmers' Federation has set up a helpline for members under financial strain.",
        ],
    },
}


# --------------------------------------------------------------------------- election-campaign

POLLS = {1: (34, 33, 11, 7), 2: (33, 34, 11, 7), 3: (31, 36, 12, 7), 4: (30, 36, 12, 8),
         5: (31, 35, 13, 7), 6: (32, 34, 14, 7)}


def election_ctx(d, rng):
    ca, prp, gmp, cl = POLLS[d.month]
    j = lambda v: v + rng.choice([-1, 0, 0, 1])
    ca, prp, gmp, cl = j(ca), j(prp), j(gmp), j(cl)
    left = (D("2025-09-14") - d).days
    if prp == ca:
        poll_avg = "The two main parties are level in the poll average."
    else:
        gap = abs(prp - ca)
        poll_avg = "The %s is %s point%s ahead in the poll average." % (
            "People's Reform Party" if prp > ca else "Civic Alliance", NUMW[gap], "" if gap == 1 else "s")
    return {"ca": ca, "prp": prp, "gmp": gmp, "cl": cl, "weeks": left // 7, "poll_avg": poll_avg,
            "seat": rng.choice(["Aldbury North", "Westmere South", "Tarrow and Kilnsey",
                                "Port Calder East", "Hollinford", "Redlow and Ormsby"])}


TOPICS["election-campaign"] = {
    "about": "the national election campaign (polling day 14 September): parties, polls, candidates",
    "short": "elec",
    "cast": "Prime Minister Helena Marsh (Civic Alliance, campaign chief Lionel Ashcombe); Daniel Roe "
            "(People's Reform Party, deputy Rosalind Achterberg); Ysolde Fenn (Green Meadow Party); Brodie "
            "Kerr (Coastal League); Brightline Polling; Electoral Commission of Norland; Professor Miriam "
            "Kohl (University of Aldbury).",
    "p_gazette": 0.46,
    "rate": lambda d: 0.18 if d < D("2025-06-01") else 0.22,
    "bumps": {"2025-03-07": 2.0, "2025-03-08": 0.8, "2025-06-05": 1.0, "2025-06-06": 1.5,
              "2025-06-16": 1.2, "2025-06-17": 0.5},
    "tags": lambda d: _tags(d, [
        ("2025-01-06", "2025-03-06", "early"), ("2025-03-07", "2025-06-29", "postby"),
        ("2025-03-07", "2025-03-08", "!byelection"), ("2025-06-01", "2025-06-29", "summer"),
        ("2025-06-05", "2025-06-06", "!debate"), ("2025-01-06", "2025-06-04", "predebate"),
        ("2025-06-16", "2025-06-17", "!manifesto")]),
    "ctx": election_ctx,
    "head": {
        "any": [
            "Poll: People's Reform on {prp}, Civic Alliance on {ca}",
            "Marsh takes election campaign to {seat}",
            "Roe promises 'fresh start' at packed rally",
            "Green Meadow Party eyes kingmaker role",
            "Coastal League leader Kerr targets fishing towns",
            "Brightline poll puts Green Meadow on {gmp} per cent",
            "Candidates clash at {seat} hustings",
            "{weeks} weeks to go: the state of the election race",
            "Electoral Commission urges young voters to register",
            "Campaign trail: Marsh and Roe court undecided voters",
            "Coalition talk grows as polls stay close",
            "Roe accuses Marsh government of running out of ideas",
            "Fenn: 'Nature and farming on the ballot this year'",
            "Marsh defends record on cost of living",
            "Election spending: parties declare donations",
            "Postal vote applications open for September election",
        ],
        "!byelection": [
            "People's Reform seize Aldbury North in by-election shock",
            "By-election blow for Marsh as Civic Alliance lose safe seat",
        ],
        "postby": [
            "Civic Alliance regroup after Aldbury North defeat",
        ],
        "!debate": [
            "Marsh and Roe trade blows in first television debate",
            "Who won the debate? Snap poll gives Roe narrow edge",
            "Fenn shines as smaller parties join leaders' debate",
        ],
        "!manifesto": [
            "People's Reform manifesto promises tax cuts and new homes",
            "Roe unveils People's Reform manifesto in Westmere",
        ],
    },
    "lead": {
        "any": [
            "The People's Reform Party is on {prp} per cent and the governing Civic Alliance on {ca} per cent, according to the latest survey by Brightline Polling.",
            "Prime Minister Helena Marsh took her election campaign to the marginal seat of {seat} on {ywd}, promising voters lower energy bills and more police.",
            "Opposition leader Daniel Roe told a packed rally in {seat} that the People's Reform Party offered a fresh start after eight years of Civic Alliance government.",
            "With {weeks} weeks to go until polling day on 14 September, neither of the two main parties has a clear lead.",
            "The Green Meadow Party, polling at {gmp} per cent, could hold the balance of power after the September election, analysts say.",
            "Brodie Kerr, leader of the Coastal League, launched a tour of fishing towns on {ywd}, saying coastal communities had been ignored by both big parties.",
            "Candidates in {seat} faced a rowdy audience at a hustings in a school hall on {ywd}, with housing and the cost of living dominating questions.",
            "The Electoral Commission of Norland has launched a campaign to persuade younger voters to register before the September election.",
            "Campaign volunteers for all the main parties are knocking on doors across the country as the battle for undecided voters intensifies.",
            "Daniel Roe has accused Prime Minister Helena Marsh of running out of ideas after eight years in power.",
            "The parties have declared more than 14 million crowns in campaign donations so far, according to figures published by the Electoral Commission.",
            "Ysolde Fenn, leader of the Green Meadow Party, said on {ywd} that she would only support a coalition that committed to protecting farmland and rivers.",
        ],
        "!byelection": [
            "The People's Reform Party won the Aldbury North by-election on Thursday, overturning a Civic Alliance majority of more than 9,000.",
            "Prime Minister Helena Marsh suffered a heavy blow on Thursday night when the Civic Alliance lost the Aldbury North by-election to the People's Reform Party.",
        ],
        "!debate": [
            "Helena Marsh and Daniel Roe clashed over taxes, housing and the health service in the first televised debate of the election campaign on Thursday.",
            "A snap poll after Thursday night's leaders' debate gave Daniel Roe a narrow edge over Prime Minister Helena Marsh.",
        ],
        "!manifesto": [
            "The People's Reform Party launched its manifesto in Westmere on Monday, promising income tax cuts and 200,000 new homes.",
            "Daniel Roe unveiled the People's Reform Party manifesto on Monday, calling it “a plan for the next ten years, not the next ten days”.",
        ],
    },
    "body": {
        "any": [
            "The Civic Alliance has led the government since 2017, first alone and then with the support of the Coastal League.",
            "A party needs 76 of the 150 seats in the National Assembly to govern alone.",
            "Brightline Polling surveyed 1,800 adults online over the weekend.",
            "The Civic Alliance hopes voters will reward its handling of the economy, while People's Reform is campaigning on public services.",
            "Turnout at the last election was 71 per cent.",
            "Both main parties have ruled out a formal coalition with each other.",
            "The Coastal League holds six seats, all of them along the north coast.",
            "Postal voting opens in August, and overseas voters must register by the end of July.",
            "Professor Miriam Kohl of the University of Aldbury says about one voter in five is still undecided.",
            "Campaign chief Lionel Ashcombe has told Civic Alliance candidates to focus on local issues.",
            "People's Reform has pledged to cut income tax for low earners and build more homes.",
            "{poll_avg}",
        ],
        "early": [
            "The Aldbury North by-election on 6 March is seen as an early test of the campaign.",
        ],
        "postby": [
            "The defeat in Aldbury North, held by the Civic Alliance for two decades, rattled the party's campaign team.",
        ],
        "predebate": [
            "The first televised leaders' debate is scheduled for 5 June.",
        ],
        "summer": [
            "The parties are due to publish their manifestos in the coming weeks.",
            "Canvassers say the weather has helped, with long evenings bringing more people to their doors.",
        ],
    },
    "quote": {
        "any": [
            "“This election is a choice between steady progress and a leap in the dark,” said Prime Minister Helena Marsh.",
            "“People are tired of being told to wait,” said Daniel Roe.",
            "“Whoever wins in September will need friends,” said Ysolde Fenn.",
            "“The polls are tight, and the campaign has barely begun in voters' minds,” said Professor Miriam Kohl of the University of Aldbury.",
            "“The north coast will not be taken for granted any longer,” said Coastal League leader Brodie Kerr.",
            "“We are fighting for every vote, in every street,” said Civic Alliance campaign chief Lionel Ashcombe.",
            "“Our message on the doorstep is simple: it is time for change,” said Rosalind Achterberg, deputy leader of the People's Reform Party.",
        ],
    },
    "close": {
        "any": [
            "Polling day is 14 September.",
            "Brightline will publish its next poll in a fortnight.",
            "The leaders are due to campaign in Westmere and Port Calder next week.",
        ],
    },
}


# --------------------------------------------------------------------------- tech-layoffs

def tech_ctx(d, rng):
    base = 212 if d < D("2025-02-20") else 231 if d < D("2025-05-06") else 196
    return {"share": base + rng.randint(-6, 6), "pct": rng.choice(["2", "3", "4", "5", "6"]),
            "preorders": thousands(rng.randint(160000, 240000), 1000),
            "sold": thousands(rng.randint(700000, 1100000), 10000)}


TOPICS["tech-layoffs"] = {
    "about": "Kestrel Systems: Nova 5 smartphone, Talon K2 chip, then 1,200 job cuts",
    "short": "tech",
    "cast": "Kestrel Systems of Aldbury (chief executive Priya Lund, chief technology officer Anders Kvist); "
            "Nova 5 smartphone and Talon K2 chip; Ferrovale Semiconductors; Redlow Science Park design centre; "
            "Tech Workers' Guild (Zoë Marchetti); analyst Lars Petit (Cobalt Research).",
    "p_gazette": 0.56,
    "rate": lambda d: 0.16 if d < D("2025-05-06") else 0.16,
    "bumps": {"2025-02-20": 2.5, "2025-02-21": 1.5, "2025-05-06": 3.0, "2025-05-07": 1.5},
    "tags": lambda d: _tags(d, [
        ("2025-01-06", "2025-02-19", "pre"), ("2025-02-21", "2025-03-09", "launch"),
        ("2025-02-20", "2025-02-20", "!launch"), ("2025-03-10", "2025-05-05", "mid"),
        ("2025-05-06", "2025-05-07", "!lay"), ("2025-05-06", "2025-06-29", "lay"),
        ("2025-02-20", "2025-06-29", "out"), ("2025-01-06", "2025-05-05", "prelay")]),
    "ctx": tech_ctx,
    "head": {
        "pre": [
            "Kestrel Systems sets 20 February date for Nova 5 launch",
            "Leaked images show Kestrel Nova 5 with new camera",
            "Talon K2: inside Kestrel's first home-grown phone chip",
            "Kestrel shares rise ahead of phone launch",
            "Ferrovale ramps up chip production for Kestrel",
        ],
        "!launch": [
            "Kestrel unveils Nova 5 phone with Talon K2 chip",
            "Nova 5 launch: Kestrel bets big on its own processor",
        ],
        "launch": [
            "Nova 5 review: fast chip, long battery, high price",
            "Kestrel says Nova 5 pre-orders top {preorders}",
            "Queues outside Kestrel store for Nova 5 release",
            "Kestrel shares up {pct} per cent after strong launch week",
        ],
        "mid": [
            "Kestrel rushes out software fix for Nova 5 battery drain",
            "Nova 5 sales slower than hoped, analysts say",
            "Kestrel sold {sold} Nova 5 phones in first quarter",
            "Ferrovale chip yields cause Nova 5 shortages",
            "Kestrel shares fall {pct} per cent on weak outlook",
            "Rumours of restructuring at Kestrel Systems",
            "Kestrel app store opens to outside developers",
        ],
        "!lay": [
            "Kestrel Systems to cut 1,200 jobs",
            "Kestrel to close Redlow design centre in job cuts",
        ],
        "lay": [
            "Kestrel job cuts: what happens to Redlow Science Park?",
            "Tech Workers' Guild demands talks over Kestrel layoffs",
            "Laid-off Kestrel engineers snapped up by rivals",
            "Priya Lund defends Kestrel restructuring",
            "Kestrel shares rebound {pct} per cent after cost cuts",
            "Kestrel begins consultation on redundancies",
            "Talon K3 chip delayed as Kestrel trims design team",
            "Former Kestrel engineers launch start-ups in Aldbury",
        ],
    },
    "lead": {
        "pre": [
            "Kestrel Systems will launch its Nova 5 smartphone on 20 February, the Aldbury-based company confirmed on {ywd}.",
            "Leaked images of the Kestrel Nova 5 suggest the phone will have a larger camera module and slimmer edges than its predecessor.",
            "Kestrel Systems' new Talon K2 processor, the first phone chip designed entirely by the company's own engineers, will power the Nova 5.",
            "Shares in Kestrel Systems rose {pct} per cent on {ywd} as investors looked ahead to next month's phone launch.",
        ],
        "!launch": [
            "Kestrel Systems unveiled the Nova 5 smartphone at Aldbury Arena on Thursday, calling its in-house Talon K2 chip the fastest it has ever made.",
            "Chief executive Priya Lund launched the Nova 5 on Thursday, promising two days of battery life and a camera that works in near darkness.",
        ],
        "launch": [
            "The Kestrel Nova 5 is the fastest phone the company has made, but its price of 899 crowns will make many buyers hesitate, reviewers say.",
            "Kestrel Systems says pre-orders for the Nova 5 have passed {preorders}, more than for any previous model.",
            "Dozens of people queued overnight outside Kestrel's flagship store in Aldbury to be among the first to buy the Nova 5.",
            "Kestrel Systems shares rose {pct} per cent in the week after the launch of the Nova 5 smartphone.",
        ],
        "mid": [
            "Kestrel Systems has released a software update to fix a battery drain problem reported by owners of the Nova 5.",
            "Sales of the Kestrel Nova 5 have been slower than expected since the launch rush, according to analysts at Cobalt Research.",
            "Kestrel Systems sold {sold} Nova 5 handsets in the first quarter, below the company's own target.",
            "Low yields at Ferrovale Semiconductors, which makes the Talon K2 chip, have left some Kestrel stores short of Nova 5 phones.",
            "Shares in Kestrel Systems fell {pct} per cent on {ywd} after the company warned that profits this year would be lower than expected.",
            "Staff at Kestrel Systems have been told to expect an announcement on the company's structure, amid rumours of job losses.",
        ],
        "!lay": [
            "Kestrel Systems is to cut 1,200 jobs, about 14 per cent of its workforce, and close its chip design centre at Redlow Science Park.",
            "Priya Lund told Kestrel Systems staff on Tuesday that the company must cut 1,200 jobs after disappointing sales of the Nova 5.",
        ],
        "lay": [
            "The Tech Workers' Guild has demanded urgent talks with Kestrel Systems over the 1,200 job cuts announced this month.",
            "Engineers laid off by Kestrel Systems are being snapped up by rival technology firms in Aldbury, recruiters say.",
            "Kestrel Systems chief executive Priya Lund has defended the decision to cut 1,200 jobs, saying the company had grown too quickly.",
            "Work on Kestrel's next chip, the Talon K3, has been delayed by at least a year because of the job cuts, people familiar with the plans said.",
            "Kestrel Systems has begun a formal consultation on redundancies at its Aldbury headquarters and its Redlow Science Park site.",
            "Shares in Kestrel Systems have recovered {pct} per cent since the job cuts were announced, as investors welcomed lower costs.",
        ],
    },
    "body": {
        "any": [
            "Kestrel Systems employs about 8,600 people, most of them in Aldbury.",
            "The company is the largest technology employer in Norland.",
            "Kestrel makes smartphones, tablets and the software that runs on them.",
            "The Talon K2 is built by Ferrovale Semiconductors using a 4-nanometre process.",
            "Analysts say designing its own chips gives Kestrel more control but costs hundreds of millions of crowns a year.",
        ],
        "pre|!launch|launch": [
            "The Nova 5 goes on sale in Kestrel stores the day after the launch event.",
            "The previous model, the Nova 4, was criticised for poor battery life.",
        ],
        "!launch|launch|mid": [
            "The Nova 5 costs 899 crowns for the basic model, 100 crowns more than the Nova 4.",
            "Reviewers praised the phone's camera and speed but said the software still felt unfinished.",
            "Benchmark tests put the Talon K2 close to the best chips from much larger foreign rivals.",
            "Some early buyers reported that the phone ran hot while charging.",
        ],
        "lay": [
            "The cuts will fall mainly on chip design, marketing and middle management.",
            "The Redlow Science Park design centre, opened in 2019, employs about 450 people.",
            "Kestrel says it will offer retraining and enhanced redundancy pay of up to a year's salary.",
            "The job cuts are the biggest in Norland's technology industry for more than a decade.",
            "Aldbury's city council has asked Kestrel to keep as many jobs as possible in the region.",
        ],
    },
    "quote": {
        "any": [
            "“Kestrel has the talent, but it has been trying to do too much at once,” said Lars Petit, an analyst at Cobalt Research.",
        ],
        "pre|!launch|launch|mid": [
            "“The Talon K2 is the moment Kestrel stops depending on anyone else for its most important part,” said chief technology officer Anders Kvist.",
            "“This is the phone we always wanted to build,” Priya Lund told the audience at Aldbury Arena.",
        ],
        "lay": [
            "“These are talented people and this is a painful decision,” said Priya Lund.",
            "“Our members found out from the news before they heard it from their managers,” said Zoë Marchetti of the Tech Workers' Guild.",
            "“I designed part of that chip, and now my whole team is gone,” said one Redlow engineer, who asked not to be named.",
        ],
    },
    "close": {
        "any": [
            "Kestrel Systems reports its half-year results in August.",
            "Kestrel shares closed at {share} crowns.",
        ],
    },
}


# --------------------------------------------------------------------------- hospital-waits

WAIT = {1: "412,300", 2: "418,900", 3: "421,450", 4: "426,100", 5: "431,800", 6: "437,200"}


def hospital_ctx(d, rng):
    m = d.month if d.day >= 10 else max(1, d.month - 1)
    return {"wait": WAIT[m], "over": thousands(rng.randint(61000, 74000)),
            "hrs": rng.choice(["six", "seven", "nine", "eleven"]),
            "hosp": rng.choice(["Aldbury Royal Infirmary", "Westmere General Hospital",
                                "St Brannock's Hospital in Port Calder"])}


TOPICS["hospital-waits"] = {
    "about": "Norland Health Executive hospital waiting lists, surgery backlogs, nurses",
    "short": "hosp",
    "cast": "Norland Health Executive (chief executive Dr Miriam Osei); Health Minister Dr Amara Quist; "
            "Aldbury Royal Infirmary, Westmere General Hospital, St Brannock's Hospital; Norland Nurses' "
            "Association (Colm Fairley); Patients First Norland (Judy Mercer); orthopaedic surgeon Idris Penrose.",
    "p_gazette": 0.45,
    "rate": lambda d: 0.19,
    "bumps": {"2025-03-18": 2.0, "2025-03-19": 1.0, "2025-05-13": 1.5},
    "tags": lambda d: _tags(d, [
        ("2025-01-06", "2025-02-28", "winter"), ("2025-01-06", "2025-03-17", "preplan"),
        ("2025-03-18", "2025-03-19", "!plan"), ("2025-03-18", "2025-06-29", "postplan"),
        ("2025-04-01", "2025-05-12", "ballot"), ("2025-05-13", "2025-05-14", "!nurses"),
        ("2025-05-13", "2025-06-29", "action")]),
    "ctx": hospital_ctx,
    "head": {
        "any": [
            "Hospital waiting list reaches {wait}",
            "{over} patients waiting more than a year for treatment",
            "Hip and knee patients face longest waits",
            "Cataract backlog grows at {hosp}",
            "Patients First: 'Waiting is making people sicker'",
            "Cancelled operations at {hosp} as beds run short",
            "Diagnostic scan delays leave patients in limbo",
            "Surgeons warn of 'lost generation' of hip operations",
            "Health Executive misses 18-week target again",
            "Nurse vacancies top 6,000 across Norland",
        ],
        "winter": [
            "Flu season piles pressure on emergency departments",
            "Patients treated in corridors at {hosp}",
            "Emergency department waits hit {hrs} hours",
        ],
        "preplan": [
            "Health Minister promises plan to cut waiting lists",
        ],
        "!plan": [
            "Quist unveils 900 million crown plan to cut waiting lists",
            "Weekend surgical hubs at heart of waiting list plan",
        ],
        "postplan": [
            "First weekend surgical hub opens in Westmere",
            "Waiting list plan 'will take years to bite', say surgeons",
        ],
        "ballot": [
            "Nurses to ballot on action over staffing levels",
            "Nurses' union warns of unsafe wards",
        ],
        "!nurses": [
            "Nurses vote for action short of a strike",
            "Nurses back overtime ban in staffing row",
        ],
        "action": [
            "Nurses' overtime ban leads to cancelled clinics",
            "Health Executive and nurses agree to talks",
        ],
    },
    "lead": {
        "any": [
            "The number of patients waiting for hospital treatment in Norland has risen to {wait}, the highest since records began, according to the Norland Health Executive.",
            "More than {over} people in Norland have now been waiting over a year for planned hospital treatment, new figures show.",
            "Patients needing hip and knee replacements are facing the longest waits of any group, with some told they may wait two years for surgery.",
            "Operations were cancelled at {hosp} on {ywd} because there were not enough beds to admit patients after surgery.",
            "Delays in diagnostic scans are leaving thousands of patients waiting months to find out what is wrong with them, a report by Patients First Norland says.",
            "Orthopaedic surgeons have warned that the waiting list for joint replacements will take years to clear without a big increase in theatre time.",
            "The Norland Health Executive has again missed its target of treating nine in ten patients within 18 weeks of referral.",
            "There are now more than 6,000 vacant nursing posts across Norland's hospitals, according to the Norland Nurses' Association.",
            "A shortage of anaesthetists is limiting the number of operations that can be carried out at {hosp}, the hospital's managers have admitted.",
        ],
        "winter": [
            "Emergency departments across Norland are under severe pressure from a late surge in flu cases, with some patients waiting {hrs} hours for a bed.",
            "Patients at {hosp} were treated on trolleys in corridors this week as the hospital declared its highest level of alert.",
        ],
        "!plan": [
            "Health Minister Dr Amara Quist on Tuesday unveiled a 900 million crown plan to cut hospital waiting lists, including weekend surgical hubs in every region.",
            "The government's plan to bring down hospital waiting lists will pay for extra operations at weekends and in private clinics, Dr Amara Quist announced.",
        ],
        "postplan": [
            "The first weekend surgical hub under the government's waiting list plan opened at Westmere General Hospital on {ywd}.",
            "Surgeons say the government's waiting list plan will take years to have an effect because there are not enough theatre staff.",
        ],
        "ballot": [
            "Members of the Norland Nurses' Association are voting on whether to take action short of a strike over staffing levels on hospital wards.",
        ],
        "!nurses": [
            "Nurses in Norland have voted to ban overtime from next month in protest at staffing levels, the Norland Nurses' Association announced on Tuesday.",
        ],
        "action": [
            "Dozens of outpatient clinics have been cancelled because of the nurses' overtime ban, the Norland Health Executive said.",
            "The Norland Health Executive and the nurses' union have agreed to hold talks on ward staffing after weeks of an overtime ban.",
        ],
    },
    "body": {
        "any": [
            "The 18-week target has not been met since before the pandemic.",
            "Hospitals say a shortage of beds, caused partly by delays in discharging elderly patients, is the biggest obstacle.",
            "Cataract and hernia operations are among the procedures with the biggest backlogs.",
            "About a fifth of patients on the list are waiting for a first appointment with a specialist.",
            "Some patients are paying for private operations rather than wait, often using their savings.",
            "Hospitals in Aldbury and Westmere have the longest waiting lists in the country.",
            "The Norland Health Executive employs about 140,000 people, making it the country's biggest employer.",
            "Nursing unions say many staff are leaving for better-paid jobs abroad.",
        ],
        "postplan": [
            "The plan aims to bring the waiting list below 350,000 by the end of next year.",
            "Weekend surgical hubs will concentrate on routine procedures such as cataracts and hip replacements.",
        ],
        "ballot|!nurses|action": [
            "The union says some wards are running with one nurse for every twelve patients at night.",
            "An overtime ban would hit the weekend surgical hubs hardest, because they rely on staff working extra shifts.",
        ],
    },
    "quote": {
        "any": [
            "“Every one of those numbers is a person in pain,” said Judy Mercer of Patients First Norland.",
            "“We have the surgeons, we do not have the beds,” said Idris Penrose, an orthopaedic surgeon at Aldbury Royal Infirmary.",
            "“Staff are doing their very best under extraordinary pressure,” said Dr Miriam Osei, chief executive of the Norland Health Executive.",
            "“Nurses are exhausted and wards are not safe,” said Colm Fairley, general secretary of the Norland Nurses' Association.",
        ],
        "postplan": [
            "“This plan will make a real difference, but it will not happen overnight,” said Health Minister Dr Amara Quist.",
        ],
    },
    "close": {
        "any": [
            "The Health Executive publishes waiting list figures on the tenth of each month.",
            "Patients First Norland has called for a public inquiry into waiting times.",
        ],
    },
}


# --------------------------------------------------------------------------- westmere-bridge (burst)

BRIDGE_DAY = D("2025-04-10")


def bridge_ctx(d, rng):
    return {"days_since": (d - BRIDGE_DAY).days, "detour": rng.choice(["35", "40", "45"])}


TOPICS["westmere-bridge"] = {
    "about": "collapse of the Kessel Bridge in Westmere on 2025-04-10: rescue, victims, inquiry (the burst)",
    "short": "brdg",
    "cast": "Kessel Bridge over the River Aven in Westmere; Westmere Fire and Rescue (Chief Fire Officer Lena "
            "Sørensen); Mayor of Westmere Callum Dree; Transport Minister Gareth Imrie; Norland Roads Agency "
            "(Hugh Latimer); inspection firm Brockway Civil; inquiry chair Mairead Collins.",
    "p_gazette": 0.50,
    "rate": lambda d: (0.0 if d < BRIDGE_DAY else 0.0 if d <= D("2025-04-30")
                       else 0.06),
    "fixed": {"2025-04-10": 10, "2025-04-11": 9, "2025-04-12": 6, "2025-04-13": 5, "2025-04-14": 5,
              "2025-04-15": 3, "2025-04-16": 3, "2025-04-17": 2, "2025-04-18": 2, "2025-04-19": 1,
              "2025-04-20": 0, "2025-04-21": 1, "2025-04-22": 1, "2025-04-23": 1, "2025-04-24": 0,
              "2025-04-25": 1, "2025-04-26": 0, "2025-04-27": 0, "2025-04-28": 1, "2025-04-29": 0,
              "2025-04-30": 1},
    "tags": lambda d: _tags(d, [
        ("2025-04-10", "2025-04-10", "!d0"), ("2025-04-11", "2025-04-12", "!d1"),
        ("2025-04-13", "2025-04-16", "d3"), ("2025-04-14", "2025-04-15", "!inquiry"),
        ("2025-04-17", "2025-04-30", "w2"),
        ("2025-04-23", "2025-05-02", "twoweeks"), ("2025-05-01", "2025-06-29", "later"),
        ("2025-04-11", "2025-06-29", "after")]),
    "ctx": bridge_ctx,
    "head": {
        "!d0": [
            "Kessel Bridge collapses in Westmere during rush hour",
            "Cars plunge into River Aven as Westmere bridge gives way",
            "Westmere bridge collapse: rescuers search the river",
            "Major incident declared after Kessel Bridge falls",
            "Live: Kessel Bridge collapse in Westmere",
            "Central span of Westmere's Kessel Bridge drops into river",
            "Witnesses describe moment Kessel Bridge gave way",
            "Westmere cut in two as Kessel Bridge collapses",
            "Hospitals on alert after Westmere bridge disaster",
            "Bridge collapse: what we know so far",
            "Transport minister heads to Westmere after bridge collapse",
        ],
        "!d1": [
            "Four dead in Kessel Bridge collapse",
            "Divers recover vehicles from River Aven",
            "Westmere in mourning after bridge disaster",
            "Kessel Bridge: 2023 inspection flagged corroded bearings",
            "Search for missing ends at Kessel Bridge",
            "Westmere bridge survivors tell of escape",
            "Questions mount over Kessel Bridge inspections",
            "Roads Agency under fire over Westmere bridge",
            "Vigil held on the banks of the River Aven",
            "Kessel Bridge collapse: how a 1968 bridge failed",
            "Westmere traffic chaos as river crossing lost",
            "Imrie orders checks on all bridges of Kessel design",
            "Names of Kessel Bridge victims released",
        ],
        "d3": [
            "Emergency checks under way on 14 Kessel-type bridges",
            "Westmere commuters face {detour}-minute detour",
            "Brockway Civil defends its Kessel Bridge inspection",
            "Engineers begin examining wreckage of Kessel Bridge",
            "Westmere businesses cut off by bridge collapse",
            "Funerals held for Kessel Bridge victims",
            "Kessel Bridge: Mayor Dree demands answers",
            "Roads Agency admits repairs to Kessel Bridge were delayed",
            "Hospital discharges last of Kessel Bridge injured",
        ],
        "!inquiry": [
            "Public inquiry ordered into Kessel Bridge collapse",
            "Retired judge Mairead Collins to lead bridge inquiry",
        ],
        "w2": [
            "Ferry service links two halves of Westmere",
            "Roads Agency chief Hugh Latimer resigns over bridge collapse",
            "Temporary bridge for Westmere promised by autumn",
            "Kessel Bridge wreckage lifted from River Aven",
            "Kessel Bridge families form campaign group",
            "Bridge inspections: three more closed for repairs",
        ],
        "later": [
            "Kessel Bridge inquiry hears first evidence",
            "Demolition of Kessel Bridge's remaining spans begins",
            "Design chosen for new Westmere river crossing",
            "Kessel Bridge inquiry: inspector says warnings were ignored",
            "Westmere temporary bridge opens to buses",
        ],
    },
    "lead": {
        "!d0": [
            "The central span of the Kessel Bridge in Westmere collapsed into the River Aven at about 5.40pm on Thursday, sending cars and a bus into the water during the evening rush hour.",
            "A major incident has been declared in Westmere after the Kessel Bridge gave way on Thursday evening, with emergency services searching the River Aven for survivors.",
            "At least two people are known to have died and dozens were injured when part of the Kessel Bridge in Westmere fell into the River Aven on Thursday.",
            "Rescue boats and divers were working under floodlights on Thursday night after the Kessel Bridge collapsed in the centre of Westmere.",
            "Witnesses described hearing a loud crack before the middle of the Kessel Bridge dropped into the River Aven, taking several vehicles with it.",
            "Westmere was effectively cut in two on Thursday evening when the Kessel Bridge, the city's main crossing over the River Aven, collapsed.",
            "Hospitals in Westmere declared a major incident on Thursday evening and called in off-duty staff after the Kessel Bridge collapse.",
            "Transport Minister Gareth Imrie was travelling to Westmere on Thursday night after the collapse of the Kessel Bridge, which carries about 40,000 vehicles a day.",
            "Eleven vehicles, including a city bus, are believed to have fallen into the River Aven when a section of the Kessel Bridge in Westmere collapsed.",
            "Crowds gathered on both banks of the River Aven in Westmere on Thursday evening as rescuers pulled survivors from the water below the broken Kessel Bridge.",
        ],
        "!d1": [
            "Four people died and 23 were injured when the Kessel Bridge in Westmere collapsed on Thursday evening, Westmere Fire and Rescue confirmed.",
            "Police divers spent {wd} recovering vehicles from the River Aven beneath the wreckage of the Kessel Bridge.",
            "A 2023 inspection of the Kessel Bridge found corrosion in the bearings that support its central span, documents seen by this newspaper show.",
            "Questions are mounting over why the Kessel Bridge in Westmere remained open despite warnings about its condition.",
            "Westmere woke on {wd} to a city in mourning and a gap in its skyline where the Kessel Bridge used to stand.",
            "Transport Minister Gareth Imrie has ordered urgent checks on every bridge in Norland built to the same design as the Kessel Bridge.",
            "Survivors of the Kessel Bridge collapse have described clinging to the roof of a submerged bus until rescue boats reached them.",
            "The search for missing people at the Kessel Bridge ended on {wd} after all those reported missing were accounted for.",
            "Hundreds of people gathered for a candlelit vigil on the banks of the River Aven on {ywd} night to remember the victims of the Kessel Bridge collapse.",
            "Traffic in Westmere was gridlocked on {wd} as drivers who used the Kessel Bridge were forced onto long detours through the suburbs.",
            "The Norland Roads Agency, which is responsible for the Kessel Bridge, is facing intense criticism over the collapse.",
        ],
        "d3": [
            "Engineers have begun the painstaking work of examining the wreckage of the Kessel Bridge to find out why its central span failed.",
            "Commuters in Westmere face detours of up to {detour} minutes for months after the loss of the Kessel Bridge, city officials have warned.",
            "Brockway Civil, the engineering firm that inspected the Kessel Bridge in 2023, has said it passed on its concerns about corrosion to the Norland Roads Agency.",
            "Shops and cafes on the north side of the Kessel Bridge say trade has collapsed since the bridge came down.",
            "The first funerals of the victims of the Kessel Bridge collapse took place in Westmere on {ywd}.",
            "Emergency checks have begun on fourteen bridges across Norland built to the same design as the Kessel Bridge.",
            "The Norland Roads Agency has admitted that repairs to the Kessel Bridge recommended in 2023 were postponed because of budget pressures.",
            "Mayor of Westmere Callum Dree has demanded a full explanation of how the Kessel Bridge was allowed to deteriorate.",
        ],
        "!inquiry": [
            "The government has ordered a public inquiry into the collapse of the Kessel Bridge, to be led by the retired judge Mairead Collins.",
            "Transport Minister Gareth Imrie told the National Assembly that a full public inquiry would examine every inspection of the Kessel Bridge since it opened in 1968.",
        ],
        "w2": [
            "A temporary ferry service across the River Aven began on {ywd}, linking the two halves of Westmere for pedestrians and cyclists.",
            "Hugh Latimer, chief executive of the Norland Roads Agency, has resigned over the collapse of the Kessel Bridge.",
            "A temporary bridge will be built across the River Aven in Westmere by the autumn, Transport Minister Gareth Imrie has promised.",
            "Cranes lifted the largest section of the fallen Kessel Bridge out of the River Aven on {ywd}.",
            "Families of those who died in the Kessel Bridge collapse have formed a campaign group to press for answers.",
            "Three more bridges have been closed for repairs after emergency checks prompted by the Kessel Bridge collapse.",
        ],
        "later": [
            "The public inquiry into the Kessel Bridge collapse heard its first evidence in Westmere on {ywd}.",
            "Demolition of the remaining spans of the Kessel Bridge began on {ywd}, more than a month after the collapse.",
            "A cable-stayed design has been chosen for the new river crossing that will replace the Kessel Bridge in Westmere.",
            "A former bridge inspector told the Kessel Bridge inquiry that warnings about corroded bearings had been ignored for years.",
            "The temporary bridge across the River Aven in Westmere opened to buses and emergency vehicles on {ywd}.",
        ],
    },
    "body": {
        "any": [
            "The Kessel Bridge opened in 1968 and carried about 40,000 vehicles a day between the north and south of Westmere.",
            "The bridge was a steel box-girder design, and its central span was 140 metres long.",
            "The River Aven is about 12 metres deep beneath the bridge.",
        ],
        "!d0": [
            "Westmere Fire and Rescue said its crews had rescued at least 30 people from the water and the damaged approach spans.",
            "Police closed roads leading to the bridge and asked people to stay away from the riverbanks.",
            "Footage shared online showed the roadway tilting before the span fell.",
            "A bus on route 12 was among the vehicles on the central span when it fell.",
            "The cause of the collapse is not yet known.",
            "Westmere General Hospital said it was treating more than twenty casualties.",
        ],
        "!d1|d3": [
            "Westmere Fire and Rescue said 23 people were taken to hospital, three of whom remain in a serious condition.",
            "The victims were two commuters, a delivery driver and a retired teacher.",
            "The Norland Roads Agency says the bridge passed its last full inspection.",
            "Engineers say corrosion in the bearings can cause a span to shift under heavy load.",
            "The river has been closed to boats downstream of the collapse.",
        ],
        "after": [
            "Four people died in the collapse and 23 were injured.",
            "The collapse has prompted a national debate about the state of Norland's ageing bridges.",
            "Buses between the two halves of Westmere now take a long detour via the Ormond Road crossing.",
        ],
        "w2|later": [
            "The inquiry is expected to publish an interim report by the end of the year.",
            "The replacement bridge is expected to cost about 450 million crowns and take three years to build.",
        ],
    },
    "quote": {
        "!d0|!d1": [
            "“It sounded like thunder, and then the road just wasn't there,” said Aisling Marr, who was walking her dog on the riverbank.",
            "“Our crews are working in extremely difficult and dangerous conditions,” said Chief Fire Officer Lena Sørensen.",
            "“This is a black day for Westmere,” said Mayor Callum Dree.",
            "“I was two cars from the middle when I felt it drop,” said delivery driver Kamal Ashe.",
        ],
        "after": [
            "“People deserve to know exactly what went wrong, and who knew what,” said Transport Minister Gareth Imrie.",
            "“We raised the corrosion in writing, more than once,” said a spokesman for Brockway Civil.",
            "“No family should have to go through this again,” said Ruth Calloway, whose husband died in the collapse.",
            "“The inquiry will follow the evidence wherever it leads,” said Mairead Collins.",
            "“The city has pulled together, but we need a bridge, and we need it soon,” said Mayor Callum Dree.",
        ],
    },
    "close": {
        "!d0": [
            "A helpline has been set up for people worried about relatives.",
            "Further updates are expected from Westmere Fire and Rescue overnight.",
        ],
        "after": [
            "A book of condolence has been opened at Westmere City Hall.",
            "The Norland Roads Agency said it would cooperate fully with the inquiry.",
        ],
    },
}


# --------------------------------------------------------------------------- crossovers
# (primary, secondary) -> [(from, to, sentence)]; a sentence about the secondary topic
# dropped into an article whose primary topic is the first key.

A, Z = "2025-01-06", "2025-06-29"
CROSSOVERS = {
    ("drought-farms", "election-campaign"): [
        ("2025-04-01", Z, "The drought has become a campaign issue, with Green Meadow Party leader Ysolde Fenn visiting farms in the valley and Daniel Roe promising a water security plan."),
        ("2025-04-01", Z, "Candidates in the Tarrow and Kilnsey constituency say water is now the first question voters raise on the doorstep ahead of the September election."),
        ("2025-05-01", Z, "Prime Minister Helena Marsh, under pressure in rural seats before the election, is expected to announce help for farmers."),
    ],
    ("election-campaign", "drought-farms"): [
        ("2025-04-15", Z, "In the Tarrow Valley, where irrigation is being rationed, farmers say none of the parties has a credible plan for water."),
        ("2025-04-15", Z, "The Green Meadow Party's rise in the polls has been strongest in farming areas hit by the drought."),
        ("2025-05-05", Z, "Roe used a visit to a parched barley farm near Kilnsey to attack the government's record on reservoirs."),
    ],
    ("interest-rates", "drought-farms"): [
        ("2025-05-01", Z, "Economists say the drought in the Tarrow Valley is pushing up the price of potatoes, vegetables and dairy products."),
        ("2025-05-01", Z, "Food prices have been lifted by poor harvests, with farmers blaming the driest spring in more than a century."),
    ],
    ("drought-farms", "interest-rates"): [
        ("2025-04-01", Z, "Farmers who borrowed to buy irrigation equipment say high interest rates are adding to their costs."),
        ("2025-05-15", Z, "The Bank of Norland has cited rising food prices, partly caused by the drought, as a reason to hold interest rates."),
    ],
    ("interest-rates", "harbour-strike"): [
        ("2025-02-10", "2025-05-31", "Delays at Port Calder, where dockers are on strike, have added to the cost of some imported goods."),
        ("2025-02-10", "2025-05-31", "Governor Brandt said the dock strike at Port Calder was a small but real risk to the inflation outlook."),
    ],
    ("harbour-strike", "interest-rates"): [
        ("2025-02-10", "2025-05-11", "Economists at Halden Securities estimate the stoppage could add a tenth of a point to inflation if it lasts into the summer."),
        ("2025-01-06", "2025-05-11", "The union points out that inflation has eaten into dockers' pay even as the Bank of Norland kept interest rates high."),
    ],
    ("harbour-strike", "election-campaign"): [
        ("2025-02-03", "2025-05-11", "Opposition leader Daniel Roe has called on the government to intervene, while Prime Minister Helena Marsh says the dispute is a matter for Greyline and the union."),
        ("2025-02-03", "2025-05-11", "Candidates in the Port Calder East constituency have been visiting the picket lines as the election campaign warms up."),
    ],
    ("election-campaign", "harbour-strike"): [
        ("2025-02-03", "2025-05-11", "In Port Calder, where dockers have been on strike since February, the Civic Alliance candidate was heckled by pickets."),
        ("2025-05-12", Z, "Marsh welcomed the end of the Port Calder dock strike, though Roe said the government had done nothing to help."),
    ],
    ("westmere-bridge", "election-campaign"): [
        ("2025-04-11", Z, "Party leaders suspended election campaigning for the day as a mark of respect."),
        ("2025-04-13", Z, "Opposition leader Daniel Roe said the collapse showed years of underinvestment in roads and bridges under the Civic Alliance government."),
        ("2025-04-13", Z, "The collapse is likely to put infrastructure spending at the centre of the election campaign."),
    ],
    ("election-campaign", "westmere-bridge"): [
        ("2025-04-14", Z, "Since the Kessel Bridge collapse in Westmere, both parties have promised more money for bridge and road maintenance."),
        ("2025-04-14", Z, "In Westmere South, the collapse of the Kessel Bridge has overshadowed every other issue in the campaign."),
    ],
    ("westmere-bridge", "hospital-waits"): [
        ("2025-04-10", "2025-04-20", "Westmere General Hospital postponed routine operations to free beds and surgeons for the injured."),
        ("2025-04-11", "2025-04-20", "Patients waiting for planned surgery at Westmere General Hospital were told their operations would be rescheduled."),
    ],
    ("hospital-waits", "westmere-bridge"): [
        ("2025-04-14", "2025-05-31", "Westmere General Hospital says operations cancelled after the Kessel Bridge collapse have added to its waiting list."),
        ("2025-04-14", "2025-05-31", "Staff at Westmere General who live south of the River Aven now face long journeys to work since the bridge collapse."),
    ],
    ("hospital-waits", "election-campaign"): [
        (A, Z, "Waiting lists are expected to be one of the main battlegrounds of the September election."),
        (A, Z, "Opposition leader Daniel Roe has promised to halve the longest waits within two years if his party wins power."),
    ],
    ("election-campaign", "hospital-waits"): [
        (A, Z, "Hospital waiting lists, now above 400,000, feature in every party's leaflets."),
    ],
    ("tech-layoffs", "interest-rates"): [
        ("2025-03-10", Z, "Kestrel says high interest rates have made consumers more reluctant to buy expensive phones on credit."),
        ("2025-05-06", Z, "Economists say the Kestrel job cuts are a sign that high borrowing costs are starting to bite in the technology sector."),
    ],
    ("interest-rates", "tech-layoffs"): [
        ("2025-05-06", Z, "The 1,200 job cuts announced by Kestrel Systems have added to concerns about a cooling labour market."),
    ],
    ("tech-layoffs", "election-campaign"): [
        ("2025-05-06", Z, "Both Prime Minister Helena Marsh and Daniel Roe visited Aldbury after the announcement, each promising to protect technology jobs."),
    ],
    ("football-title", "westmere-bridge"): [
        ("2025-04-11", "2025-04-13", "Westmere Athletic's home match this weekend has been postponed after the collapse of the Kessel Bridge."),
        ("2025-04-14", "2025-04-30", "Athletic's players wore black armbands in memory of the victims of the Kessel Bridge collapse."),
        ("2025-04-14", "2025-05-23", "Fans travelling to Aven Park face long detours since the Kessel Bridge collapse."),
    ],
    ("football-title", "harbour-strike"): [
        ("2025-02-03", "2025-05-11", "Rovers fans unfurled a banner in support of the striking dockers, many of whom are season ticket holders at the Slipway."),
        ("2025-02-03", "2025-05-11", "Ashby said his players had donated part of their win bonus to the dockers' hardship fund."),
    ],
    ("harbour-strike", "football-title"): [
        ("2025-02-03", "2025-05-11", "On Saturdays many of the pickets leave early to watch Calder Rovers at the Slipway, a short walk from the harbour gates."),
    ],
    ("drought-farms", "hospital-waits"): [
        ("2025-06-01", Z, "Doctors at Westmere General Hospital have warned farm workers about heat exhaustion during the long dry spell."),
    ],
}



# --------------------------------------------------------------------------- more material
# Further hand-written headlines, leads and body sentences, added to the pools above so
# that every story phase has enough distinct lines for unique titles and varied text.

def _more(topic, part, key, items):
    TOPICS[topic][part].setdefault(key, []).extend(items)


_more("harbour-strike", "head", "strike", [
    "Dockers dig in as Port Calder strike reaches week {week}",
    "Port Calder strike: {ships} vessels at anchor, {boxes} boxes on the quay",
    "Greyline offer of {offer} 'an insult', says Maren Holt",
    "Seafarers' Hall food bank feeds striking dockers' families",
    "Car imports stuck at sea as Port Calder strike continues",
    "Arkwell shuttles between the two sides in harbour dispute",
    "North coast ports swamped by ships diverted from Port Calder",
    "Greyline loses two million crowns a week, says spokeswoman",
    "Quay 7 cranes run by managers as pickets look on",
    "Dockers' strike: the view from the picket line at Northgate",
])
_more("harbour-strike", "lead", "strike", [
    "Greyline Terminals says it is losing more than two million crowns a week as the dock strike at Port Calder drags into its {week_word} week.",
    "Families of striking dockers have set up a food bank at the Seafarers' Hall in Port Calder, handing out parcels to more than two hundred households.",
    "Thousands of imported cars are sitting on ships anchored off Port Calder, unable to unload because of the dock strike.",
    "Judith Arkwell, chair of the Arbitration and Conciliation Board, spent {ywd} shuttling between Greyline managers and union officials in separate rooms of a Port Calder hotel.",
    "Smaller harbours along the north coast say they are struggling to cope with container ships diverted from strike-bound Port Calder.",
])

_more("interest-rates", "head", "any", [
    "Governor Brandt: 'We are not there yet on inflation'",
    "Building society cuts savings rates for second time this year",
    "Wage growth slows, easing pressure on Bank of Norland",
    "Credit card borrowing climbs as households stretch budgets",
    "Mortgage approvals rise for third month running",
    "Hallvard Capital's Salo predicts {next_meeting} decision",
    "Crown slips against major currencies as yields fall",
])
_more("interest-rates", "lead", "any", [
    "Wage growth in Norland slowed to 4.6 per cent in the latest quarter, easing one of the Bank of Norland's main worries about inflation.",
    "Mortgage approvals in Norland rose for a third consecutive month, suggesting buyers are returning as borrowing costs edge lower.",
    "The Aldbury Building Society has cut the rates it pays on savings accounts, the latest lender to prepare for lower interest rates.",
    "Households in Norland borrowed more on credit cards last month than at any time in the past three years, figures from the Bank of Norland show.",
])

_more("football-title", "head", "race", [
    "Rovers edge past {opp} to go {gap} clear",
    "Athletic fight back to beat {opp} {win}",
    "Lindqvist hat-trick sinks {opp}",
    "Ashby hails Rovers' spirit after late winner",
    "Marquand fumes at referee after Athletic draw",
    "Brennan the architect as Athletic cruise past {opp}",
    "Rovers' unbeaten home run stretches to fifteen games",
    "Injury-hit Athletic scrape a point against {opp}",
    "Aven Park roars as Athletic go back to the top",
    "Calder Rovers 'ready for a fight to the finish', says Mulder",
    "Crowd of {crowd} sees Rovers beat {opp} {win}",
    "Dorn penalty save keeps Athletic in the hunt",
])
_more("football-title", "lead", "race", [
    "Kofi Lindqvist scored a hat-trick as Calder Rovers swept aside {opp} {win}, taking the striker to {goals} league goals this season.",
    "Westmere Athletic came from a goal down to beat {opp} {win} at Aven Park, with Tiago Brennan setting up both second-half goals.",
    "Pavel Dorn saved a late penalty to preserve Westmere Athletic's {win} win over {opp} and keep them in the thick of the title race.",
    "Calder Rovers stretched their unbeaten home run to fifteen games with a hard-fought {win} win over {opp} at the Slipway.",
    "An injury-hit Westmere Athletic side scraped a {draw} draw against {opp}, leaving manager Ines Marquand frustrated with the referee.",
    "A stoppage-time header from Sean Mulder gave Calder Rovers a {win} win over {opp} and sent the Slipway into raptures.",
])

_more("drought-farms", "head", "winter", [
    "Snow-free winter on Selworth hills worries farmers",
    "Groundwater at record low for February in Tarrow Valley",
    "Farmers' Federation: prepare now for a dry spring",
    "Tarrow Water brings forward reservoir maintenance",
    "Kilnsey farmers order water tanks months early",
])
_more("drought-farms", "lead", "winter", [
    "Groundwater in the chalk beneath the Tarrow Valley is at its lowest level for February since monitoring began, the Norland Met Service said.",
    "The Norland Farmers' Federation has urged its members in the Tarrow Valley to check wells and storage tanks now in case the dry weather continues into spring.",
    "There has been almost no snow on the hills above Selworth this winter, worrying farmers who rely on spring meltwater to fill the River Sele.",
])
_more("drought-farms", "head", "spring", [
    "Fields too dry to plant around Kilnsey",
    "Dairy herds on winter feed in April as grass fails",
    "Dust clouds as farmers work parched fields",
    "Tarrow Valley rainfall {rain} per cent of normal in April",
    "Seed merchants run short of drought-tolerant barley",
    "River Sele anglers report stranded fish",
])
_more("drought-farms", "lead", "spring", [
    "Clouds of dust rose from fields around Dunsop Green this week as farmers tried to drill seed into ground baked hard by weeks without rain.",
    "Seed merchants in the Tarrow Valley say they have sold out of drought-tolerant barley varieties as farmers prepare for a dry summer.",
    "Anglers on the River Sele have reported fish stranded in shrinking pools as the river drops week by week.",
    "Ormsby reservoir has fallen to {res} per cent, Tarrow Water said on {ywd}, and the Norland Met Service sees no sign of a change in the weather.",
])
_more("drought-farms", "head", "watch", [
    "Drought watch: Tarrow Water asks farms to cut abstraction",
    "Farmers brace for irrigation limits within weeks",
    "Selworth sheep farmers fear a long, dry summer",
    "Potato growers plan for rationing under drought watch",
])
_more("drought-farms", "lead", "watch", [
    "Tarrow Water has asked farms in the Tarrow Valley to cut the amount of water they take from the River Sele by a fifth under the new drought watch.",
    "Potato growers in the Tarrow Valley are drawing up plans to decide which fields to save if irrigation rationing begins next month.",
    "Sheep farmers on Selworth moor say the springs their flocks drink from are drying up weeks earlier than in any year they can remember.",
])
_more("drought-farms", "head", "ration|emerg", [
    "Night-time irrigation as farmers race the rationing clock",
    "Vegetable prices rise as Tarrow Valley crops wilt",
    "River Sele fishing suspended as water warms",
    "Farmers' helpline calls triple during drought",
    "Dunsop Green dairy farmers cut herds",
    "Brown fields and empty troughs: a week in the Tarrow Valley",
    "Tarrow Water chief Graham Pye: 'We are managing every drop'",
    "Carrot and onion yields slump in drought",
    "Rationing rules tightened as Ormsby reservoir drops",
    "Young farmers fear the drought will drive them off the land",
])
_more("drought-farms", "lead", "ration|emerg", [
    "Farmers in the Tarrow Valley are irrigating through the night to make the most of the three days a week they are allowed to water their crops.",
    "Calls to the Norland Farmers' Federation's helpline have tripled since the drought took hold, with many farmers worried about debts.",
    "Several dairy farmers around Dunsop Green have sold part of their herds because they can no longer grow enough grass to feed them.",
    "Vegetable prices in shops have started to rise as yields of carrots, onions and potatoes in the Tarrow Valley fall sharply.",
    "Tarrow Water has tightened irrigation rules in the upper Tarrow Valley after Ormsby reservoir fell faster than forecast.",
    "Young farmers in the Tarrow Valley say the drought could be the final straw for family farms already struggling with high costs.",
])

_more("election-campaign", "head", "any", [
    "Brightline: People's Reform {prp}, Civic Alliance {ca}, Green Meadow {gmp}",
    "Marsh pledges more police in {seat} visit",
    "Undecided voters hold key to September election",
    "Kerr: Coastal League will back whoever helps the north coast",
    "Campaign posters go up across Aldbury",
    "Roe's deputy Achterberg takes campaign to the suburbs",
])

_more("tech-layoffs", "head", "pre", [
    "Kestrel invites press to Aldbury Arena on 20 February",
    "Nova 5 battery to last two days, Kestrel hints",
    "Analysts: Nova 5 is Kestrel's most important phone in years",
    "Kestrel Nova 5 price leak points to 899 crowns",
    "Anders Kvist: Talon K2 chip 'years in the making'",
    "Ferrovale Semiconductors hires 300 for Talon K2 production",
])
_more("tech-layoffs", "lead", "pre", [
    "Ferrovale Semiconductors is hiring 300 extra staff to build the Talon K2 chip that will power Kestrel's next smartphone.",
    "A leaked price list suggests the Kestrel Nova 5 will cost 899 crowns, about 100 crowns more than the current model.",
    "Analysts at Cobalt Research say the Nova 5 is the most important phone Kestrel Systems has launched in years, because it is the first to use its own chip.",
    "Kestrel Systems has sent out invitations to a launch event at Aldbury Arena on 20 February, where it is expected to show off the Nova 5.",
])
_more("tech-layoffs", "head", "launch", [
    "Hands on with the Kestrel Nova 5",
    "Talon K2 benchmarks impress reviewers",
    "Nova 5 sells out in Aldbury stores",
    "Kestrel Nova 5: worth the upgrade?",
])
_more("tech-layoffs", "lead", "launch", [
    "Early benchmark tests suggest the Talon K2 chip in the Kestrel Nova 5 is close to the best processors from much larger foreign rivals.",
    "Kestrel stores in Aldbury sold out of the Nova 5 on its first day on sale, the company said.",
])
_more("tech-layoffs", "head", "mid", [
    "Nova 5 owners complain of phones running hot",
    "Cobalt Research cuts Kestrel sales forecast",
    "Kestrel delays Nova 5 launch in two export markets",
    "Kestrel profit warning sends shares lower",
    "Talon K2 supply problems hit Kestrel stores",
])
_more("tech-layoffs", "lead", "mid", [
    "Owners of the Kestrel Nova 5 have complained on online forums that their phones run hot while charging, a problem the company says it is investigating.",
    "Kestrel Systems has postponed the launch of the Nova 5 in two export markets because Ferrovale cannot make enough Talon K2 chips.",
    "Cobalt Research has cut its forecast for Nova 5 sales this year by a fifth, citing weak demand at the phone's high price.",
])
_more("tech-layoffs", "head", "lay", [
    "Redlow Science Park braces for life after Kestrel",
    "Kestrel redundancy terms: up to a year's pay",
    "Aldbury council urges Kestrel to protect local jobs",
    "Kestrel layoffs: chip designers hit hardest",
    "Tech Workers' Guild plans protest at Kestrel headquarters",
])
_more("tech-layoffs", "lead", "lay", [
    "Businesses around Redlow Science Park fear for their future after Kestrel Systems confirmed it will close its chip design centre there.",
    "Members of the Tech Workers' Guild protested outside Kestrel Systems' Aldbury headquarters on {ywd} against the company's plan to cut 1,200 jobs.",
    "Kestrel Systems will offer staff losing their jobs up to a year's salary in redundancy pay, according to details sent to employees.",
])

_more("hospital-waits", "head", "any", [
    "Anaesthetist shortage limits operations at {hosp}",
    "Patients pay for private surgery rather than wait",
    "Bed-blocking: elderly patients stuck in hospital for weeks",
    "Health Executive chief Osei: 'Staff are doing their best'",
    "Waiting for a first appointment: one in five on the list",
    "Hernia patients told to expect year-long wait",
    "Hospital figures: waiting list up again in {month}",
    "Colm Fairley: nurses 'at breaking point'",
])
_more("hospital-waits", "lead", "any", [
    "Growing numbers of patients are paying for private operations rather than stay on the Norland Health Executive waiting list, often using their savings.",
    "Hundreds of elderly patients who are well enough to leave hospital are stuck on wards because there are no care home places for them, hospital managers say.",
    "Patients waiting for hernia repairs at {hosp} have been told they may wait more than a year for surgery.",
    "Colm Fairley, general secretary of the Norland Nurses' Association, says nurses on many wards are at breaking point.",
])

_more("westmere-bridge", "head", "!d0", [
    "Bus among vehicles lost as Kessel Bridge falls",
    "Westmere bridge collapse: helpline opened for families",
])
_more("westmere-bridge", "head", "!d1", [
    "Kessel Bridge: the day after in Westmere",
    "Bus passengers describe escape from River Aven",
    "Westmere schools closed after bridge collapse",
    "Corrosion warning on Kessel Bridge went unheeded",
    "Kessel Bridge: why a river crossing fell",
    "Fire chief Sørensen praises Kessel Bridge rescuers",
])
_more("westmere-bridge", "lead", "!d1", [
    "Schools on the south side of Westmere stayed closed on {wd} because staff and pupils could not cross the River Aven after the Kessel Bridge collapse.",
    "Chief Fire Officer Lena Sørensen praised crews who worked through the night in the River Aven, saying they had saved dozens of lives.",
    "The three people still in a serious condition after the Kessel Bridge collapse are being treated at Westmere General Hospital.",
    "Engineers who have seen photographs of the wreckage say a failure in the bearings of the central span is the most likely cause of the Kessel Bridge collapse.",
])
_more("westmere-bridge", "head", "d3", [
    "Kessel Bridge victims remembered at Westmere service",
    "Westmere ferry plan as bridge clear-up begins",
    "North bank traders count losses after bridge falls",
    "Bridge engineers: 'Kessel design had known weaknesses'",
])
_more("westmere-bridge", "lead", "d3", [
    "A memorial service for the four people who died in the Kessel Bridge collapse was held at Westmere Cathedral on {ywd}.",
    "Bridge engineers say the Kessel design, used for fourteen bridges across Norland in the 1960s, had known weaknesses in its bearings.",
    "Westmere City Council plans to run a temporary ferry across the River Aven while the wreckage of the Kessel Bridge is cleared.",
])
_more("westmere-bridge", "head", "twoweeks", [
    "Westmere two weeks on: a city divided by a river",
])
_more("westmere-bridge", "lead", "twoweeks", [
    "Two weeks after the Kessel Bridge collapsed, Westmere is adjusting to life as a city split by a river.",
])
_more("westmere-bridge", "head", "w2", [
    "Westmere ferry carries 6,000 passengers on first day",
    "Kessel Bridge families: 'We want the truth'",
    "Roads Agency orders inspections of 300 older bridges",
    "Inquiry chair Collins sets out terms of reference",
    "Westmere traders ask for help after bridge collapse",
    "Temporary Westmere bridge will take buses by September",
])
_more("westmere-bridge", "lead", "w2", [
    "The temporary ferry across the River Aven carried more than 6,000 passengers on its first day, Westmere City Council said.",
    "The Norland Roads Agency has ordered detailed inspections of 300 older bridges across the country in response to the Kessel Bridge collapse.",
    "Mairead Collins, the retired judge leading the Kessel Bridge inquiry, has published its terms of reference and asked witnesses to come forward.",
    "Traders on the north side of the River Aven have asked Westmere City Council for rates relief after losing customers since the Kessel Bridge collapse.",
])
_more("westmere-bridge", "head", "later", [
    "Kessel Bridge inquiry: Roads Agency knew of corrosion",
    "Westmere two months on from the Kessel Bridge collapse",
    "Kessel Bridge families attend first inquiry hearing",
])
_more("westmere-bridge", "lead", "later", [
    "The Kessel Bridge inquiry has heard that senior managers at the Norland Roads Agency knew about corrosion in the bridge's bearings in 2023.",
    "Two months after the Kessel Bridge collapse, people in Westmere are still adjusting to long journeys across a city split by the River Aven.",
])


_more("harbour-strike", "head", "post", [
    "Hauliers work through the night to empty Port Calder quays",
    "Dockers return to full shifts at Northgate terminal",
    "Importers ask Greyline to waive storage charges after strike",
    "Younger dockers say strike deal left them behind",
    "Port Calder container volumes recover after dispute",
    "First remote-controlled crane arrives at Quay 7 under new deal",
    "Shipping lines return to Port Calder after strike",
    "Harbour gates open late to clear post-strike backlog",
    "Greyline and union set up joint automation committee",
])
_more("harbour-strike", "lead", "post", [
    "Hauliers have been working through the night to move containers off the Port Calder quays after the Calder Port Authority extended the opening hours of the harbour gates.",
    "Importers whose goods were stuck at Port Calder during the dock strike have asked Greyline Terminals to waive weeks of storage charges.",
    "The first of three remote-controlled cranes arrived at Quay 7 on {ywd}, under the terms of the deal that ended the Port Calder dock strike.",
    "Greyline Terminals and the Norland Dockers' Union have set up a joint committee to oversee the introduction of automation at Port Calder.",
    "Some younger dockers on temporary contracts say the deal that ended the Port Calder strike did little for them.",
])
_more("harbour-strike", "head", "deal", [
    "Union leaders recommend Greyline deal to dockers",
    "Port Calder deal: pay rise, shift limits and automation guarantee",
])
_more("harbour-strike", "head", "ballot", [
    "Greyline draws up contingency plans for dock strike",
])

_more("football-title", "head", "!final", [
    "Rovers are champions: how the final day unfolded",
    "Slipway pitch invasion as Calder Rovers lift the trophy",
    "Four goals: the margin that decided the Premier Division",
    "Athletic's 3-0 win in vain as Rovers hold on",
    "Ashby in tears as Rovers end long wait for the title",
    "Final-day drama: player ratings from Rovers' title win",
])
_more("football-title", "lead", "!final", [
    "Thousands of fans poured onto the Slipway pitch at the final whistle as Calder Rovers beat Brenhill Town 2-1 to win the Premier Division.",
    "Declan Ashby was close to tears after Calder Rovers held on to beat Brenhill Town and take the title on goal difference.",
    "For twenty minutes on the final day, Westmere Athletic were champions, until Kofi Lindqvist's header restored Calder Rovers' lead against Brenhill Town.",
])
_more("football-title", "head", "after", [
    "Marquand's Athletic: so close, and what comes next",
    "Rovers trophy goes on display at Port Calder City Hall",
    "Brennan attracts interest from foreign clubs",
    "Season review: the title race that went to the wire",
    "Dorn signs contract extension at Westmere Athletic",
    "Premier Division fixtures for next season published",
])
_more("football-title", "lead", "after", [
    "Westmere Athletic playmaker Tiago Brennan is attracting interest from several foreign clubs after an outstanding season at Aven Park.",
    "Goalkeeper Pavel Dorn has signed a two-year contract extension with Westmere Athletic, the club announced.",
    "The Premier Division trophy has gone on display at Port Calder City Hall, where queues of fans formed to have their photographs taken with it.",
])

_more("interest-rates", "head", "any", [
    "Landlords blame borrowing costs for rent rises",
    "Bank of Norland watchers focus on services inflation",
    "Base rate at {rate} per cent: winners and losers",
    "Halden Securities' Reyes: households still squeezed",
    "Small business lending falls to three-year low",
    "Energy bills ease, but core prices stay sticky",
    "Money markets bet on another quarter-point cut",
    "Tracker mortgage holders: when will payments fall?",
    "Pension funds move into government bonds as yields peak",
    "Economists' survey: inflation to reach target next year",
])
_more("interest-rates", "lead", "any", [
    "Landlords across Norland say high borrowing costs are forcing them to raise rents, adding to pressure on tenants.",
    "Lending to small businesses by Norland's banks has fallen to its lowest level in three years, according to Bank of Norland data.",
    "Money markets are now betting on at least one more quarter-point cut in the Bank of Norland's base rate before the end of the year.",
    "A survey of economists suggests inflation in Norland will not return to the Bank of Norland's 2 per cent target until next year.",
])
_more("interest-rates", "head", "postcut", [
    "Borrowers feel the benefit of March rate cut",
    "Okafor: 'We are not on autopilot'",
])
_more("interest-rates", "head", "precut", [
    "Brandt resists calls for early rate cut",
    "Homebuyers hold off as they wait for cheaper mortgages",
])
_more("interest-rates", "head", "!may", [
    "Base rate held at 4 per cent as food prices rise",
])
_more("interest-rates", "head", "!mar", [
    "Rate cut: what it means for mortgages and savings",
])
_more("interest-rates", "head", "!jun", [
    "Base rate falls again: your questions answered",
])
_more("interest-rates", "head", "!feb", [
    "Bank of Norland: rate cut 'closer' but not yet",
])

_more("westmere-bridge", "head", "d3", [
    "Kessel Bridge: inspection report published in full",
    "Fourteen Kessel-type bridges under emergency checks",
    "Westmere schools reopen with river crossing buses",
    "Roads Agency budget cuts delayed Kessel Bridge repairs",
    "Divers finish search of River Aven riverbed",
    "Westmere commuters queue for hours at Ormond Road crossing",
    "Brockway Civil: 'We warned the Roads Agency'",
    "Kessel Bridge bus driver speaks of final moments on the span",
])
_more("westmere-bridge", "lead", "d3", [
    "The Norland Roads Agency has published the full 2023 inspection report on the Kessel Bridge, which rated the condition of the central span's bearings as poor.",
    "Commuters from the south of Westmere queued for more than an hour at the Ormond Road crossing on {ywd}, the first working day after the Kessel Bridge collapse.",
    "Schools on the south side of Westmere reopened on {wd}, with extra buses laid on to carry pupils the long way round the River Aven.",
    "The driver of the bus that fell with the Kessel Bridge has described feeling the road drop beneath him and shouting to passengers to brace.",
    "Police divers have finished searching the bed of the River Aven beneath the Kessel Bridge and have handed the site to engineers.",
])
_more("westmere-bridge", "head", "after", [
    "Kessel Bridge collapse: the questions that remain",
    "Bridge safety: how many Norland crossings are at risk?",
    "Westmere Athletic fans to hold minute's silence for bridge victims",
])
_more("westmere-bridge", "lead", "after", [
    "Engineers say the Kessel Bridge collapse should prompt a review of every bridge in Norland that is more than fifty years old.",
])

_more("drought-farms", "head", "ration|emerg", [
    "Dry spell reaches {dry} days in the Tarrow Valley",
    "Tarrow Valley farmers: 'We are watching the crops die'",
    "Irrigation at night, sleep by day: drought changes farm life",
    "Livestock markets busy as feed runs short",
    "Borehole firms booked until autumn",
    "Dairy farmers feed winter silage in summer",
    "Shoppers to pay more for potatoes as drought bites",
    "Ormsby reservoir: a week-by-week fall",
    "Kilnsey barley: 'This harvest is already lost'",
    "Hollinford gauge shows River Sele at record low",
    "Farmers' Federation president Colley: 'We need rain, and soon'",
    "Met Service: no break in the weather before July",
    "Upland flocks on Selworth moor depend on water trailers",
])
_more("drought-farms", "head", "emerg", [
    "Emergency powers: Tarrow Water can now cut farm supplies",
    "Villages around Dunsop Green on reduced water pressure",
    "Drought emergency: first week in the Tarrow Valley",
    "Tankers queue at Ormsby as villages run short",
    "Rhodri Vale announces drought aid for farmers",
    "Drought emergency could last into autumn, officials warn",
    "Wells fail across the valley as heat builds",
    "Harvest forecast slashed for Tarrow Valley barley",
])
_more("drought-farms", "lead", "emerg", [
    "Agriculture Minister Rhodri Vale has announced an emergency aid fund for Tarrow Valley farmers whose crops have failed in the drought.",
    "Officials at Tarrow Water have warned that the drought emergency could last into the autumn even if some rain falls in July.",
    "Villages around Dunsop Green have had their mains water pressure cut overnight to save water under the drought emergency rules.",
    "The first week of the drought emergency in the Tarrow Valley has seen tankers queuing at Ormsby to fill up with water for outlying villages.",
    "Forecasters have cut their estimate of the Tarrow Valley barley harvest by almost half, blaming the longest dry spell in the region's records.",
])
_more("drought-farms", "lead", "ration", [
    "Dairy farmers across the Tarrow Valley are feeding cattle on silage meant for next winter because the grass has stopped growing.",
    "Shoppers can expect to pay more for potatoes this summer as the drought cuts yields in the Tarrow Valley, growers have warned.",
])

_more("harbour-strike", "head", "strike", [
    "Another round of harbour talks ends without a deal",
    "Arkwell shuttles between Greyline and union in hotel talks",
])
_more("harbour-strike", "head", "deal", [
    "First container ships in three months unload at Northgate",
])
_more("harbour-strike", "head", "post", [
    "Dock strike cost Greyline {cost} million crowns",
])
_more("interest-rates", "head", "any", [
    "Credit card borrowing at three-year high",
])
_more("drought-farms", "head", "winter", [
    "River Sele at lowest winter level for twenty years",
    "Shorter showers, please: Tarrow Water's winter appeal",
])
_more("drought-farms", "head", "spring", [
    "Cattle on hay and silage weeks early as pastures stall",
])
_more("drought-farms", "head", "watch", [
    "Springs dry up early for Selworth moor sheep farmers",
])
_more("election-campaign", "head", "any", [
    "Volunteers knock on doors in battle for undecided voters",
])
_more("hospital-waits", "head", "any", [
    "Joint replacement waiting list will take years to clear, surgeons warn",
])
_more("hospital-waits", "head", "!plan", [
    "Extra weekend and private clinic operations in waiting list plan",
])

_more("election-campaign", "head", "any", [
    "Roe rally in {seat}: People's Reform promise 'fresh start'",
    "Marsh in {seat}: lower energy bills and more police",
    "Kerr launches Coastal League tour of fishing towns",
    "Housing and cost of living dominate {seat} hustings",
    "Parties declare 14 million crowns in campaign donations",
    "Fenn sets Green Meadow terms for any coalition",
    "Neither main party pulls ahead with {weeks} weeks to go",
    "Green Meadow on {gmp} per cent could hold balance of power",
    "Roe: Civic Alliance 'out of ideas' after eight years",
    "Young voters urged to register before September",
])
_more("election-campaign", "head", "postby", [
    "Civic Alliance still smarting from Aldbury North loss",
])
_more("election-campaign", "head", "summer", [
    "Long evenings bring voters to the door, say canvassers",
    "Manifesto season: what the parties are likely to promise",
])

_more("tech-layoffs", "head", "!launch", [
    "Priya Lund promises two-day battery for Nova 5",
    "Kestrel Nova 5 to cost 899 crowns",
    "Talon K2 chip is Kestrel's fastest yet, says Lund",
    "Night-time camera headlines Kestrel's Nova 5",
    "Kestrel shares climb as Nova 5 is unveiled",
])
_more("tech-layoffs", "lead", "!launch", [
    "The Kestrel Nova 5 will cost 899 crowns for the basic model when it goes on sale on Friday, the company announced at its Aldbury Arena launch.",
    "Shares in Kestrel Systems climbed {pct} per cent on Thursday as the company unveiled the Nova 5, its first phone powered by its own Talon K2 chip.",
    "Chief technology officer Anders Kvist told the launch audience in Aldbury that the Talon K2 chip had taken four years and more than 600 engineers to design.",
])
_more("tech-layoffs", "head", "any", [
    "Kestrel Systems: Norland's biggest tech employer under scrutiny",
    "Cobalt Research's Petit: Kestrel 'trying to do too much'",
    "Kestrel shares close at {share} crowns",
])

_more("harbour-strike", "head", "strike", [
    "Cargo ships told to anchor further out as Port Calder queue grows",
    "Thousands of new cars stuck on ships off Port Calder",
    "Exporters lose orders as containers sit idle on Port Calder quays",
])
_more("westmere-bridge", "head", "!d1", [
    "Norland Roads Agency faces fury over Kessel Bridge",
])
_more("football-title", "head", "race", [
    "Rovers see off {opp} {win} at the Slipway",
    "Lindqvist brace fires Rovers past {opp}",
    "Athletic keep pace with {win} win over {opp}",
])

if __name__ == "__main__":
    main()
