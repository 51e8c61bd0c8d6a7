#!/usr/bin/env python3
"""Generate a deterministic corpus of call transcripts for benchmarks.

    scripts/bench/gen_corpus.py OUT_DIR [--size 1G] [--seed 42] [--violation-rate 0.02]
    scripts/bench/gen_corpus.py --jsonl FILE.jsonl [--size 500M]   # one file of many calls

Writes plain-text transcripts (the format of docs/formats.md) under OUT_DIR/<team>/<agent>/,
Chinese and English mixed (60/40), with realistic turn lengths, timestamps, hang-up events,
order and phone numbers that the agent reads back (sometimes wrongly), and forbidden phrases
planted at a controllable rate per agent turn. Also writes, next to the script's output:

    OUT_DIR/../phrases.txt   the 300 literal phrases (one per line, for rg -F -f / grep -F -f)
    OUT_DIR/../regexes.txt   the 20 regexes (for rg -f)
    OUT_DIR/../bench.toml    a rulebook with the same phrases and regexes

The same seed and size always give byte-identical output.
"""

import argparse
import json
import os
import random
import sys

ZH_SUBJECTS = ["你", "这个", "我们", "那边", "系统", "规定", "公司", "经理", "师傅", "窗口"]
ZH_PREDICATES = [
    "必须马上", "只能自己", "不应该再", "别想着", "肯定不会", "绝不可能", "早就说过", "不负责",
    "懒得管", "随便你", "爱办不办", "没空处理", "不归这里", "自己去查", "下班了才", "说了没用",
]
EN_ADVERBS = ["absolutely", "totally", "obviously", "definitely", "clearly", "simply", "just", "really",
              "honestly", "literally"]
EN_PHRASES = ["not my fault", "your own problem", "cannot be bothered", "no way at all", "read it yourself",
              "figure it out", "stop complaining", "not happening", "waste of time", "deal with it",
              "my hands are tied", "nothing i can do", "too bad for you", "you should know",
              "go somewhere else"]

REGEXES = [
    r"\d{15,19}",
    r"凭什么.{0,6}投诉",
    r"(?:你|您)给我.{0,4}(?:听|等)",
    r"(?i)(?-u:\b)calm down(?-u:\b)",
    r"(?i)(?-u:\b)shut up(?-u:\b)",
    r"不[归是]我们?[管负]",
    r"(?i)(?-u:\b)not my (?:job|department|problem)(?-u:\b)",
    r"百分之[一二三四五六七八九十百]+",
    r"(?i)(?-u:\b)guarantee[ds]?(?-u:\b)",
    r"[0-9]{3}-[0-9]{4}-[0-9]{4}",
    r"(?i)(?-u:\b)i don'?t know(?-u:\b)",
    r"自己(?:看|查|去)",
    r"(?i)(?-u:\b)read the manual(?-u:\b)",
    r"绝对(?:不会|没有|是)",
    r"(?i)(?-u:\b)you (?:must|should have)(?-u:\b)",
    r"你(?:必须|本应该)",
    r"(?i)(?-u:\b)no idea(?-u:\b)",
    r"我尽(?:量|力|可能)",
    r"(?i)(?-u:\b)i'?ll try(?-u:\b)",
    r"[A-Z]{2}\d{11}",
]

ZH_AGENT = [
    "您好，这里是{co}客服中心，我是{name}，请问有什么可以帮您？",
    "好的，请您稍等，我帮您查询一下订单的物流状态。",
    "让您久等了，您的包裹目前在{city}转运中心，预计明天下午送达。",
    "非常抱歉给您带来不便，我已经为您登记了加急处理。",
    "请问您方便提供一下下单时预留的手机号码吗？",
    "我跟您确认一下，您的订单号是{order}，对吗？",
    "您的手机号是{phone}，我们会在两个工作日内回电。",
    "这个问题我已经记录下来了，稍后会有专员跟进处理。",
    "请问还有什么可以帮您的吗？",
    "感谢您的来电，祝您生活愉快，再见。",
    "根据我们的规定，退款会在三到五个工作日内退回原支付账户。",
    "我这边看到您的套餐是每月一百二十八元，包含三十GB的流量。",
]
ZH_CUSTOMER = [
    "你好，我的快递三天了还没到，能帮我看一下吗？",
    "订单号是{order}。",
    "手机号是{phone}。",
    "那大概什么时候能到？我明天要出门。",
    "好的，谢谢。",
    "我上个月的账单好像多扣了一笔钱。",
    "能不能帮我改一下收货地址？",
    "没有了，再见。",
    "你们的服务也太慢了吧，我要投诉。",
    "嗯，好的，我知道了。",
]
EN_AGENT = [
    "Good morning, thank you for calling {co}, my name is {name}. How can I help you today?",
    "Let me pull up your account, this will only take a moment.",
    "I can see the parcel is at our {city} depot and should arrive tomorrow afternoon.",
    "I'm sorry about the delay, I have flagged the order for priority handling.",
    "Could you confirm the phone number on the account for me?",
    "Just to confirm, your order number is {order}, is that right?",
    "I have your number as {phone}, we will call you back within two working days.",
    "The refund will be back on your card within three to five working days.",
    "Is there anything else I can help you with today?",
    "Thank you for calling {co}, have a lovely day.",
    "Your plan is forty dollars a month and includes thirty gigabytes of data.",
]
EN_CUSTOMER = [
    "Hi, my parcel was supposed to arrive three days ago and it still hasn't.",
    "The order number is {order}.",
    "It's {phone}.",
    "When will it get here? I'm travelling tomorrow.",
    "Great, thanks.",
    "I think I was charged twice on my last bill.",
    "Can I change the delivery address?",
    "No, that's all, bye.",
    "This is taking far too long, I want to make a complaint.",
    "OK, I see.",
]
COMPANIES_ZH = ["顺达快递", "联达通信", "安信银行", "优品商城"]
COMPANIES_EN = ["ACME Parcel", "ACME Bank", "Northwind Telecom", "Contoso Travel"]
CITIES_ZH = ["杭州", "上海", "广州", "成都", "武汉"]
CITIES_EN = ["Leeds", "Bristol", "Denver", "Austin", "Dublin"]
NAMES_ZH = ["王芳", "李强", "张敏", "陈磊", "林美华", "周婷", "赵磊", "黄志明"]
NAMES_EN = ["Sam", "Jordan", "Priya", "Alex", "Morgan", "Chris", "Taylor", "Jamie"]
TEAMS = ["parcel-a", "parcel-b", "cards", "telecom", "travel"]


def phrases():
    """The 300 literal phrases: 150 Chinese, 150 English, all distinct."""
    zh = [s + p for s in ZH_SUBJECTS for p in ZH_PREDICATES][:150]
    en = [a + " " + p for a in EN_ADVERBS for p in EN_PHRASES][:150]
    assert len(set(zh + en)) == 300
    return zh + en


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def clock(ms):
    s = ms // 1000
    return "%02d:%02d:%02d" % (s // 3600, (s // 60) % 60, s % 60)


def transcript(rng, index, planted, rate):
    zh = rng.random() < 0.6
    agent_lines, customer_lines = (ZH_AGENT, ZH_CUSTOMER) if zh else (EN_AGENT, EN_CUSTOMER)
    agent_label, customer_label = ("客服", "客户") if zh else ("Agent", "Customer")
    fill = {
        "co": rng.choice(COMPANIES_ZH if zh else COMPANIES_EN),
        "name": rng.choice(NAMES_ZH if zh else NAMES_EN),
        "city": rng.choice(CITIES_ZH if zh else CITIES_EN),
        "order": "SD%011d" % rng.randrange(10**11),
        "phone": "1%d%09d" % (rng.randrange(3, 10), rng.randrange(10**9)),
    }
    team = rng.choice(TEAMS)
    lines = [
        "# call_id: bench-%07d" % index,
        "# agent: %s" % fill["name"],
        "# team: %s" % team,
        "# date: 2026-11-%02d" % (1 + index % 28),
        "# rings: %d" % rng.randrange(1, 7),
    ]
    t = rng.randrange(1000, 4000)
    turns = rng.randrange(12, 40)
    turns_json = []
    for n in range(turns):
        by_agent = n % 2 == 0 or rng.random() < 0.15
        pool = agent_lines if by_agent else customer_lines
        if n == 0:
            text = agent_lines[0]
        elif n >= turns - 2 and by_agent:
            # Close like a real call: the "anything else?" question, then thanks.
            text = agent_lines[8 if n == turns - 2 else 9]
        else:
            text = rng.choice(pool)
        text = text.format(**fill)
        if by_agent and rng.random() < 0.5:
            text += ("" if zh else " ") + rng.choice(pool).format(**fill)
        if by_agent and rng.random() < rate:
            phrase = rng.choice(planted)
            text = text + ("，" if zh else ", ") + phrase + ("。" if zh else ".")
        duration = max(800, len(text) * (250 if zh else 60))
        label = agent_label if by_agent else customer_label
        colon = "：" if zh else ": "
        lines.append("[%s-%s] %s%s%s" % (clock(t), clock(t + duration), label, colon, text))
        turns_json.append({"speaker": label, "text": text, "start": t / 1000, "end": (t + duration) / 1000})
        t += duration + rng.randrange(200, 2500)
    ended_by = "customer" if rng.random() < 0.8 else "agent"
    lines.append("[%s] <hangup by=%s>" % (clock(t), ended_by))
    as_json = {
        "call_id": "bench-%07d" % index,
        "metadata": {"agent": fill["name"], "team": team},
        "ended_by": ended_by,
        "turns": turns_json,
    }
    return team, fill["name"], "\n".join(lines) + "\n", as_json


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", help="folder for the corpus")
    parser.add_argument("--jsonl", help="write one JSON Lines file of many calls instead of a folder")
    parser.add_argument("--size", default="100M", help="total bytes of transcripts (e.g. 10M, 1G)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--violation-rate", type=float, default=0.02, help="chance an agent turn gets a planted phrase")
    args = parser.parse_args()

    target = parse_size(args.size)
    rng = random.Random(args.seed)
    planted = phrases()
    if args.jsonl:
        written = calls = 0
        with open(args.jsonl, "w", encoding="utf-8") as f:
            while written < target:
                line = json.dumps(transcript(rng, calls, planted, args.violation_rate)[3], ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
                calls += 1
        print("%d calls, %d bytes in %s" % (calls, written, args.jsonl))
        return
    if not args.out:
        parser.error("give OUT_DIR or --jsonl FILE")
    root = os.path.abspath(args.out)
    os.makedirs(root, exist_ok=True)
    parent = os.path.dirname(root)
    with open(os.path.join(parent, "phrases.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(planted) + "\n")
    with open(os.path.join(parent, "regexes.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(REGEXES) + "\n")
    with open(os.path.join(parent, "bench.toml"), "w", encoding="utf-8") as f:
        f.write('[rulebook]\nid = "bench"\ntitle = "Benchmark rulebook: 300 phrases, 20 patterns"\n\n')
        for i in range(0, 300, 10):
            quoted = ", ".join('"%s"' % p for p in planted[i:i + 10])
            f.write('[[forbidden]]\nid = "phrases-%02d"\nseverity = "error"\nphrases = [%s]\n\n' % (i // 10, quoted))
        for i, pattern in enumerate(REGEXES):
            # JSON string escapes are valid TOML basic-string escapes.
            f.write('[[forbidden]]\nid = "pattern-%02d"\nseverity = "warning"\npatterns = [%s]\n\n' % (i, json.dumps(pattern)))

    written = files = 0
    made = set()
    while written < target:
        team, _agent, text, _ = transcript(rng, files, planted, args.violation_rate)
        folder = os.path.join(root, team, "agent-%d" % (files % 40))
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        data = text.encode("utf-8")
        with open(os.path.join(folder, "call-%07d.txt" % files), "wb") as f:
            f.write(data)
        written += len(data)
        files += 1
        if files % 20000 == 0:
            print("  %d files, %.0f MB" % (files, written / 1e6), file=sys.stderr)
    print("%d files, %d bytes in %s" % (files, written, root))


if __name__ == "__main__":
    main()
