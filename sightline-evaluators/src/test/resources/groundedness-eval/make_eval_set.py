"""Builds groundedness-eval.jsonl from the hand-written scenarios in scenarios_*.py.

Every scenario gives a context, a question, two faithful answers and two answers with one injected
error each. Scenarios alternate between the dev and test splits in pairs, so that each split gets
every domain. Run: python3 make_eval_set.py (from this folder).
"""
import json, collections, importlib.util, pathlib

here = pathlib.Path(__file__).parent
scenarios = []
for part in "abcd":
    spec = importlib.util.spec_from_file_location("p" + part, here / f"scenarios_{part}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    scenarios += mod.S

records = []
for k, (domain, passages, question, faithful, hallucinated) in enumerate(scenarios):
    split = "dev" if (k // 2) % 2 == 0 else "test"
    context = [{"title": t, "text": x} for t, x in passages]
    answers = [(a, "faithful", None) for a in faithful] + [(a, "hallucinated", t) for t, a in hallucinated]
    for j, (answer, label, etype) in enumerate(answers):
        assert etype in (None, "number", "entity", "invented", "negation"), etype
        records.append({"id": f"{domain}-{k:03d}-{j}", "domain": domain, "context": context, "question": question,
                        "answer": answer, "label": label, "errorType": etype, "split": split})

with open(here / "groundedness-eval.jsonl", "w") as out:
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(scenarios), "scenarios,", len(records), "records")
print(collections.Counter((r["split"], r["label"]) for r in records))
print(collections.Counter((r["split"], r["errorType"]) for r in records if r["errorType"]))
