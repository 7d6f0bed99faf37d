"""Writes the hostile-input corpus (tests/hostile/<category>/<name>.case).

The .case files are the source of truth that the test replays; this script is how they
were made. Running it rewrites every category directory from scratch:

    python3 tests/hostile/generate.py
"""
import json, os, shutil, copy
ROOT = os.path.dirname(os.path.abspath(__file__))
for d in os.listdir(ROOT) if os.path.isdir(ROOT) else []:
    p = os.path.join(ROOT, d)
    if os.path.isdir(p): shutil.rmtree(p)
os.makedirs(ROOT, exist_ok=True)
BASE = json.load(open(os.path.join(ROOT, "../../shared/tests/golden/quick-quiz-scaleup.input.json")))
def base(): return copy.deepcopy(BASE)
def c(x): return json.dumps(x, separators=(",", ":")).encode()
EV = "/api/v1/evaluate"; AS = "/api/v1/assessments"
JSON = [("content-type", "application/json")]
count = {}
def case(cat, name, method, path, expect, body=b"", headers=None, problem=True, pointer=None, forbid=(), note=None, chunked=False, length=None):
    if headers is None: headers = JSON if method == "POST" else []
    d = os.path.join(ROOT, cat); os.makedirs(d, exist_ok=True)
    lines = []
    if note: lines.append(b"# " + note.encode())
    lines.append(b"method: " + method.encode())
    lines.append(b"path: " + (path if isinstance(path, bytes) else path.encode()))
    for k, v in headers:
        lines.append(b"header: " + k.encode() + b": " + (v if isinstance(v, bytes) else v.encode()))
    if chunked: lines.append(b"chunked: yes")
    if length is not None: lines.append(b"length: %d" % length)
    lines.append(b"expect: %d" % expect)
    if not problem: lines.append(b"problem: no")
    if pointer is not None: lines.append(b"pointer: " + pointer.encode())
    for f in forbid: lines.append(b"forbid: " + f.encode())
    data = b"\n".join(lines) + b"\n---\n" + body
    fn = os.path.join(d, name + ".case")
    assert not os.path.exists(fn), fn
    open(fn, "wb").write(data)
    count[cat] = count.get(cat, 0) + 1
def both(cat, name, expect, body, **kw):
    case(cat, name + "-evaluate", "POST", EV, expect, body, **kw)
    case(cat, name + "-assessments", "POST", AS, expect, body, **kw)
def with_(path, value):
    b = base(); cur = b
    for k in path[:-1]: cur = cur[k]
    cur[path[-1]] = value
    return b
def lead(**kw):
    l = {"name": "Ada Lovelace", "email": "ada@example.org", "company": "Analytical", "consent": True}
    for k, v in kw.items():
        if v is DEL: l.pop(k, None)
        else: l[k] = v
    b = base(); b["lead"] = l; return b
DEL = object()
def ans(a): return c(with_(["answers"], a))
full = c(base())

# malformed / truncated JSON
M = "malformed_json"
both(M, "empty", 400, b"")
both(M, "whitespace-only", 400, b"  \n\t ")
both(M, "open-brace", 400, b"{")
both(M, "mode-no-value", 400, b'{"mode":')
both(M, "truncated-half", 400, full[: len(full) // 2])
both(M, "truncated-last-byte", 400, full[:-1])
both(M, "trailing-comma", 400, full[:-1] + b",}")
both(M, "single-quotes", 400, full.replace(b'"', b"'"))
both(M, "unquoted-keys", 400, b'{mode:"quick",answers:[]}')
both(M, "js-comment", 400, b'/* hi */' + full)
both(M, "array-body", 400, b"[1, 2]")
both(M, "null-body", 400, b"null")
both(M, "string-body", 400, b'"quick"')
both(M, "number-body", 400, b"42")
both(M, "trailing-garbage", 400, full + b" x")
both(M, "two-objects", 400, full + full)
both(M, "utf8-bom", 400, b"\xef\xbb\xbf" + full)
both(M, "unterminated-string", 400, b'{"mode":"quick')
both(M, "missing-colon", 400, b'{"mode" "quick"}')
# deep nesting
D = "deep_nesting"
both(D, "arrays-10000", 400, b'{"mode":"quick","answers":{{repeat:10000:[}}{{repeat:10000:]}}}')
both(D, "arrays-unclosed-60000", 400, b"{{repeat:60000:[}}")
both(D, "objects-5000-in-profile", 400, b'{"mode":"quick","profile":{{repeat:5000:{"a":}}1{{repeat:5000:\\x7d}}}')
both(D, "level-nested-200", 400, c(base()).replace(b'"level":2', b'"level":' + b"[" * 200 + b"2" + b"]" * 200, 1))
both(D, "lead-nested-1000", 400, b'{"mode":"quick","answers":[],"lead":{{repeat:1000:{"x":}}null{{repeat:1000:\\x7d}}}')
# huge strings and arrays
H = "huge_strings_arrays"
both(H, "sector-60k", 422, c(with_(["profile", "sector"], "{{repeat:60000:s}}")), pointer="/profile/sector")
both(H, "question-id-60k", 422, ans([{"question": "{{repeat:60000:q}}", "level": 1}]), pointer="/answers/0/question")
both(H, "answers-1000-duplicates", 422, full.split(b'"answers":')[0] + b'"answers":[{{repeat:1000:{"question":"q-quick-risk","level":1\\x7d,}}{"question":"q-quick-risk","level":1}]}', pointer="/answers")
both(H, "frameworks-60k-string", 400, c(with_(["profile", "frameworks"], ["{{repeat:60000:f}}"])), pointer="/profile/frameworks/0")
both(H, "mode-60k", 400, c(with_(["mode"], "{{repeat:60000:m}}")))
both(H, "justification-60k", 422, ans([{"question": "q-quick-development", "level": "not_applicable", "justification": "{{repeat:60000:j}}"}]))
case(H, "lead-name-60k-assessments", "POST", AS, 422, c(lead(name="{{repeat:60000:n}}")), pointer="/lead/name")
case(H, "lead-email-60k-assessments", "POST", AS, 422, c(lead(email="{{repeat:60000:e}}@example.org")), pointer="/lead/email")
# wrong types
W = "wrong_types"
for name, path, val in [
    ("mode-number", ["mode"], 1), ("mode-unknown", ["mode"], "slow"), ("mode-null", ["mode"], None),
    ("profile-array", ["profile"], []), ("profile-string", ["profile"], "big"),
    ("answers-object", ["answers"], {"q-quick-risk": 1}), ("answers-string", ["answers"], "all"),
    ("level-bool", ["answers", 0, "level"], True), ("level-null", ["answers", 0, "level"], None),
    ("question-number", ["answers", 0, "question"], 42), ("answer-number", ["answers", 0], 7), ("level-object", ["answers", 0, "level"], {"v": 2}), ("level-array", ["answers", 0, "level"], [2]),
    ("high-risk-string", ["profile", "high_risk"], "no"), ("frameworks-string", ["profile", "frameworks"], "gdpr"),
    ("frameworks-unknown", ["profile", "frameworks"], ["hipaa"]),
    ("start-date-number", ["profile", "start_date"], 20270104), ("start-date-bad", ["profile", "start_date"], "2027-02-30"),
    ("ai-systems-string", ["profile", "ai_systems"], "3"), ("capacity-string", ["profile", "capacity_fte"], "1.5"),
    ("size-unknown", ["profile", "size"], "huge"), ("role-unknown", ["profile", "role"], "sells"),
    ("bank-version-number", ["bank_version"], 1), ("unknown-field", ["result"], {"overall": 100}),
]:
    both(W, name, 400, c(with_(path, val)))
for name, val in [("level-string-digit", "3"), ("level-float", 2.5), ("level-unknown-word", "maybe")]:
    both(W, name, 422, c(with_(["answers", 0, "level"], val)), pointer="/answers/0/level")
case(W, "lead-string-assessments", "POST", AS, 400, c(lead() | {"lead": "ada@example.org"}))
case(W, "lead-array-assessments", "POST", AS, 400, c(lead() | {"lead": ["Ada", "ada@example.org"]}))
case(W, "lead-consent-string-assessments", "POST", AS, 400, c(lead(consent="yes")))
# numbers
N = "numbers"
for name, val in [("minus-1", b"-1"), ("five", b"5"), ("nine", b"9"), ("u64-overflow", b"18446744073709551616"),
                  ("exp-1e3", b"1e3"), ("nan", b"NaN"), ("infinity", b"Infinity"), ("hex", b"0x2"), ("plus-sign", b"+2"), ("leading-zero", b"02")]:
    exp = 422 if name in ("five", "nine", "minus-1", "u64-overflow", "exp-1e3") else 400
    both(N, "level-" + name, exp, full.replace(b'"level":2', b'"level":' + val, 1))
for name, val, exp in [("minus-1", b"-1", 400), ("huge", b"1000000", 422), ("u32-overflow", b"4294967296", 400),
                       ("fraction", b"1.5", 400), ("nan", b"NaN", 400), ("1e400", b"1e400", 400)]:
    both(N, "ai-systems-" + name, exp, full.replace(b'"ai_systems":3', b'"ai_systems":' + val))
for name, val, exp in [("negative", b"-1.5", 422), ("zero", b"0", 422), ("too-big", b"1e6", 422), ("1e400", b"1e400", 400),
                       ("nan", b"NaN", 400), ("minus-infinity", b"-Infinity", 400), ("tiny", b"1e-300", 422)]:
    both(N, "capacity-" + name, exp, full.replace(b'"capacity_fte":1.5', b'"capacity_fte":' + val))
# duplicate keys
K = "duplicate_keys"
def ev(name, body): case(K, name + "-evaluate", "POST", EV, 400, body)
ev("mode-twice", full.replace(b'{"mode":"quick"', b'{"mode":"quick","mode":"full"', 1))
ev("profile-size-twice", full.replace(b'"size":"51-250"', b'"size":"51-250","size":"1-50"'))
ev("answer-level-twice", full.replace(b'"level":2', b'"level":2,"level":4', 1))
ev("answer-question-twice", full.replace(b'{"question":"q-quick-context"', b'{"question":"q-quick-context","question":"q-quick-risk"', 1))
ev("answers-twice", full[:-1] + b',"answers":[]}')
ev("profile-twice", full[:-1] + b',"profile":{}}')
ev("capacity-twice", full.replace(b'"capacity_fte":1.5', b'"capacity_fte":1.5,"capacity_fte":-1'))
ev("frameworks-twice", full.replace(b'"frameworks":["iso27001","gdpr"]', b'"frameworks":[],"frameworks":["gdpr"]'))
ev("bank-version-twice", full.replace(b'"bank_version":"1.0.0"', b'"bank_version":"1.0.0","bank_version":"1.0.0"'))
# The same duplicates stored through POST /api/v1/assessments (read in one pass with the
# lead, so refused alike), and duplicates inside the lead.
def asm(name, body): case(K, name + "-assessments", "POST", AS, 400, body)
asm("mode-twice", full.replace(b'{"mode":"quick"', b'{"mode":"quick","mode":"full"', 1))
asm("profile-size-twice", full.replace(b'"size":"51-250"', b'"size":"51-250","size":"1-50"'))
asm("answer-level-twice", full.replace(b'"level":2', b'"level":2,"level":4', 1))
asm("answers-twice", full[:-1] + b',"answers":[]}')
asm("capacity-twice", full.replace(b'"capacity_fte":1.5', b'"capacity_fte":1.5,"capacity_fte":-1'))
with_lead = c(lead())
asm("lead-email-twice", with_lead.replace(b'"email":"ada@example.org"', b'"email":"ada@example.org","email":"eve@example.org"'))
asm("lead-consent-twice", with_lead.replace(b'"consent":true', b'"consent":true,"consent":false'))
asm("lead-twice", with_lead[:-1] + b',"lead":null}')
# question IDs
Q = "question_ids"
both(Q, "unknown", 422, ans([{"question": "q-nope", "level": 1}]), pointer="/answers/0/question")
both(Q, "empty", 422, ans([{"question": "", "level": 1}]), pointer="/answers/0/question")
both(Q, "duplicate", 422, ans([{"question": "q-quick-risk", "level": 1}, {"question": "q-quick-risk", "level": 2}]), pointer="/answers/1/question")
both(Q, "case-changed", 422, ans([{"question": "Q-QUICK-RISK", "level": 1}]))
both(Q, "trailing-space", 422, ans([{"question": "q-quick-risk ", "level": 1}]))
both(Q, "full-mode-id-in-quick", 422, ans([{"question": "q-4-1", "level": 1}]))
both(Q, "escaped-nul", 422, ans([{"question": "q-quick-risk\u0000", "level": 1}]))
both(Q, "missing-question", 400, ans([{"level": 1}]))
# invalid UTF-8
U = "invalid_utf8"
for name, bad in [("ff", b"\xff"), ("overlong-slash", b"\xc0\xaf"), ("lone-continuation", b"\x80"),
                  ("truncated-euro", b"\xe2\x82"), ("utf8-surrogate", b"\xed\xa0\x80"), ("latin1-cafe", b"caf\xe9"), ("above-max", b"\xf4\x90\x80\x80")]:
    both(U, name, 400, full.replace(b'"finance"', b'"fin' + bad + b'"'))
both(U, "json-lone-surrogate-escape", 400, full.replace(b'"finance"', b'"fin\\ud800"'))
case(U, "in-lead-name-assessments", "POST", AS, 400, c(lead()).replace(b"Ada Lovelace", b"Ada \xfe Lovelace"))
# control characters
C = "control_chars"
both(C, "raw-nul-in-string", 400, full.replace(b'"finance"', b'"fin\x00ance"'))
both(C, "raw-bell-in-string", 400, full.replace(b'"finance"', b'"fin\x07ance"'))
both(C, "raw-newline-in-string", 400, full.replace(b'"finance"', b'"fin\nance"'))
both(C, "raw-tab-in-mode", 400, full.replace(b'"quick"', b'"qu\tick"', 1))
both(C, "nul-between-tokens", 400, full.replace(b'"mode":', b'"mode":\x00', 1))
both(C, "escaped-nul-in-mode", 400, full.replace(b'"quick"', b'"quick\\u0000"', 1))
both(C, "escaped-esc-in-sector", 422, full.replace(b'"finance"', b'"finance\\u001b[31m"'), pointer="/profile/sector")
case(C, "escaped-newline-in-lead-name-assessments", "POST", AS, 422, c(lead(name="Ada\nBcc: eve@example.org")), pointer="/lead/name")
case(C, "escaped-crlf-in-lead-email-assessments", "POST", AS, 422, c(lead(email="ada@example.org\r\nBcc: eve@example.org")), pointer="/lead/email")
case(C, "escaped-nul-in-company-assessments", "POST", AS, 422, c(lead(company="Analytical\u0000Engines")), pointer="/lead/company")
def na(text): return ans([{"question": "q-quick-development", "level": "not_applicable", "justification": text}])
both(C, "escaped-nul-in-justification", 422, na("We build nothing\u0000"), pointer="/answers/0/justification")
both(C, "bidi-override-in-justification", 422, na("We build nothing \u202e))1(trela"), pointer="/answers/0/justification")
both(C, "bidi-isolate-in-justification", 422, na("\u2067nothing"), pointer="/answers/0/justification")
both(C, "escape-in-justification", 422, na("\u001b[2Jcleared"), pointer="/answers/0/justification")
case(C, "bidi-override-in-lead-name-assessments", "POST", AS, 422, c(lead(name="Ada \u202eecalevoL")), pointer="/lead/name")
case(C, "bidi-isolate-in-company-assessments", "POST", AS, 422, c(lead(company="\u2066Analytical")), pointer="/lead/company")
# SQL- and script-looking strings (all invalid where they are put)
S = "sql_script"
both(S, "sql-question-id", 422, ans([{"question": "q-quick-risk'; DROP TABLE assessments;--", "level": 1}]))
both(S, "sql-mode", 400, c(with_(["mode"], "quick' OR '1'='1")))
both(S, "script-size", 400, c(with_(["profile", "size"], "<script>alert(1)</script>")))
both(S, "sql-sector", 422, c(with_(["profile", "sector"], "finance'); DELETE FROM leads;--")), pointer="/profile/sector")
both(S, "script-sector", 422, c(with_(["profile", "sector"], "<img src=x onerror=alert(1)>")), pointer="/profile/sector")
both(S, "script-framework", 400, c(with_(["profile", "frameworks"], ["<svg onload=alert(1)>"])))
both(S, "sql-level", 422, c(with_(["answers", 0, "level"], "1 OR 1=1")))
case(S, "sql-email-assessments", "POST", AS, 422, c(lead(email="x'; DROP TABLE leads;--@example.org")), pointer="/lead/email")
case(S, "script-email-assessments", "POST", AS, 422, c(lead(email="<script>alert(1)</script>")), pointer="/lead/email")
case(S, "script-name-with-newline-assessments", "POST", AS, 422, c(lead(name="<script>\nalert(1)</script>")), pointer="/lead/name")
case(S, "formula-email-no-consent-assessments", "POST", AS, 422, c(lead(email="=HYPERLINK(\"http://evil\")@x.org", consent=False)))
# content types
T = "content_types"
for name, ct in [("text-plain", "text/plain"), ("form-urlencoded", "application/x-www-form-urlencoded"),
                 ("multipart", "multipart/form-data; boundary=x"), ("xml", "application/xml"), ("text-json", "text/json"),
                 ("json-patch", "application/json-patch+json"), ("jsonp", "application/jsonp"), ("empty-value", ""),
                 ("json-prefix-junk", "xapplication/json"), ("octet-stream", "application/octet-stream")]:
    both(T, name, 415, full, headers=[("content-type", ct)])
both(T, "no-content-type", 415, full, headers=[])
for enc in ["br", "gzip", "deflate", "zstd", "gzip, identity"]:
    both(T, "content-encoding-" + enc.replace(", ", "-"), 415, full, headers=JSON + [("content-encoding", enc)])
# oversized
O = "oversized"
pad = lambda n: b'{"pad":"{{repeat:%d:x}}"}' % (n - 10)
both(O, "64k-plus-1", 413, pad(64 * 1024 + 1))
both(O, "70k", 413, pad(70 * 1024))
both(O, "1m", 413, pad(1024 * 1024))
both(O, "8m", 413, pad(8 * 1024 * 1024))
both(O, "70k-text-plain", 413, pad(70 * 1024), headers=[("content-type", "text/plain")])
both(O, "70k-chunked", 413, pad(70 * 1024), chunked=True)
both(O, "70k-valid-json-padding", 413, full[:-1] + b',"x":"' + b"{{repeat:71680: }}" + b'"}')
# A declared length over the limit is answered at once, before the body (not sent here).
both(O, "declared-1t-not-sent", 413, b"{", length=1000000000000)
both(O, "declared-64k-plus-1-not-sent", 413, b"{", length=64 * 1024 + 1)
# idempotency keys (valid bodies: a wrongly accepted key would store)
I = "idempotency_keys"
for name, key in [("empty", b""), ("space-inside", b"abc def"), ("201-chars", b"k" * 201), ("4000-chars", b"k" * 4000),
                  ("non-ascii", "clé-ünïcode".encode()), ("latin1-byte", b"key\xe9"), ("tab-inside", b"abc\tdef"),
                  ("high-byte", b"k\x80"), ("sql-with-spaces", b"k' OR '1'='1 --"), ("only-spaces", b"   ")]:
    case(I, name, "POST", AS, 400, full, headers=JSON + [("idempotency-key", key)])
# bad admin tokens
A = "admin_tokens"
TOK = "test-admin-token-0123456789abcdef"
for path, tag in [("/api/v1/leads", "list"), ("/api/v1/leads.csv", "csv")]:
    for name, auth in [("none", None), ("bearer-only", "Bearer"), ("bearer-empty", "Bearer "), ("wrong", "Bearer wrong-token"),
                       ("prefix", "Bearer " + TOK[:-1]), ("extra-char", "Bearer " + TOK + "x"), ("lowercase-scheme", "bearer " + TOK),
                       ("no-scheme", TOK), ("basic", "Basic dGVzdDp0ZXN0"), ("double-space", "Bearer  " + TOK),
                       ("sql", "Bearer ' OR '1'='1"), ("uppercase-token", "Bearer " + TOK.upper())]:
        h = [] if auth is None else [("authorization", auth)]
        case(A, f"{tag}-{name}", "GET", path, 401, headers=h, forbid=["seeded-lead@hostile.example"])
case(A, "list-wrong-with-bad-filter", "GET", "/api/v1/leads?band=bogus&page=0", 401, headers=[("authorization", "Bearer nope")])
case(A, "delete-none", "DELETE", "/api/v1/leads/00000000-0000-4000-8000-000000000000", 401, headers=[])
case(A, "delete-wrong", "DELETE", "/api/v1/leads/00000000-0000-4000-8000-000000000000", 401, headers=[("authorization", "Bearer wrong")])
case(A, "delete-seeded-wrong", "DELETE", "/api/v1/leads/{{seeded_lead}}", 401, headers=[("authorization", "Bearer " + TOK[:-1])])
# admin filters (right token, bad query)
F = "admin_filters"
AUTH = [("authorization", "Bearer " + TOK)]
for name, q in [("band-bogus", "band=bogus"), ("page-zero", "page=0"), ("page-negative", "page=-1"), ("page-text", "page=abc"),
                ("per-page-zero", "per_page=0"), ("per-page-huge", "per_page=100000"), ("from-not-date", "from=yesterday"),
                ("to-sql", "to=2027-01-01'%20OR%201=1--"), ("unknown-param", "email=ada@example.org"), ("page-overflow", "page=99999999999999999999"),
                ("page-offset-overflow", "page=137662258469369021&per_page=68"), ("page-i64-max", "page=9223372036854775807"),
                ("from-nul", "from=2026-01-01T%00"), ("to-nul", "to=%00"), ("from-nul-in-date", "from=2026-01%0001"),
                ("from-bad-hour", "from=2026-01-01T25:00:00Z"), ("from-no-offset", "from=2026-01-01T10:00:00"),
                ("to-year-0", "to=0000-00-00")]:
    case(F, name, "GET", "/api/v1/leads?" + q, 400, headers=AUTH, forbid=["seeded-lead@hostile.example"])
case(F, "csv-band-bogus", "GET", "/api/v1/leads.csv?band=%3Cscript%3E", 400, headers=AUTH, forbid=["seeded-lead@hostile.example"])
# bad leads (valid assessment, bad lead: nothing stored)
L = "bad_lead"
for name, kw, ptr in [("consent-missing", dict(consent=DEL), None), ("consent-false", dict(consent=False), "/lead/consent"),
                      ("email-plain-word", dict(email="not-an-email"), "/lead/email"), ("email-no-domain", dict(email="ada@"), "/lead/email"),
                      ("email-no-local", dict(email="@example.org"), "/lead/email"), ("email-no-dot", dict(email="ada@example"), "/lead/email"),
                      ("email-two-ats", dict(email="ada@b@example.org"), "/lead/email"), ("email-space", dict(email="ada lovelace@example.org"), "/lead/email"),
                      ("email-empty", dict(email=""), "/lead/email"), ("email-300", dict(email="a" * 290 + "@example.org"), "/lead/email"),
                      ("name-empty", dict(name=""), "/lead/name"), ("name-spaces", dict(name="   "), "/lead/name"),
                      ("name-201", dict(name="n" * 201), "/lead/name"), ("company-201", dict(company="c" * 201), "/lead/company")]:
        exp = 400 if name == "consent-missing" else 422
        case(L, name, "POST", AS, exp, c(lead(**kw)), pointer=ptr)
case(L, "email-missing", "POST", AS, 400, c(lead(email=DEL)))
case(L, "name-missing", "POST", AS, 400, c(lead(name=DEL)))
case(L, "empty-object", "POST", AS, 400, c(lead() | {"lead": {}}))
case(L, "unknown-field", "POST", AS, 400, c(lead(phone="+1 555")))
case(L, "bad-answers-and-bad-lead", "POST", AS, 422, c(lead(email="x") | {"answers": [{"question": "q-nope", "level": 1}]}))
# path traversal on static routes
P = "path_traversal"
FORBID = ["[workspace]", "[package]", "root:x:0:0", "fn main"]
for name, path in [("dotdot-raw", "/widget/../Cargo.toml"), ("dotdot-deep-raw", "/widget/../../../../../../etc/passwd"),
                   ("dotdot-encoded", "/widget/%2e%2e/Cargo.toml"), ("dotdot-encoded-upper", "/widget/%2E%2E/Cargo.toml"),
                   ("dotdot-slash-encoded", "/widget/..%2fCargo.toml"), ("all-encoded", "/widget/%2e%2e%2fCargo.toml"),
                   ("backslash-encoded", "/widget/..%5cCargo.toml"), ("backslash-raw", "/widget/..\\Cargo.toml"),
                   ("double-encoded", "/widget/%252e%252e/Cargo.toml"), ("overlong-utf8-dots", "/widget/%c0%ae%c0%ae/Cargo.toml"),
                   ("dot-encoded-dot", "/widget/.%2e/Cargo.toml"), ("absolute-in-widget", "/widget//etc/passwd"),
                   ("encoded-absolute", "/widget/%2fetc%2fpasswd"), ("semicolon", "/widget/..;/Cargo.toml"),
                   ("nul-byte", "/widget/%00../Cargo.toml"), ("backend-source", "/widget/../backend/src/main.rs"),
                   ("deep-encoded-passwd", "/widget/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
                   ("dotdot-top-level", "/../Cargo.toml"), ("four-dots", "/widget/....//Cargo.toml")]:
    case(P, name, "GET", path, 404, problem=False, forbid=FORBID)
# unknown / malformed assessment IDs
R = "unknown_ids"
U0 = "00000000-0000-4000-8000-000000000000"
for name, path, exp in [("not-an-id", "/api/v1/assessments/not-an-id", 404), ("random-uuid", "/api/v1/assessments/" + U0, 404),
                        ("uuid-nil", "/api/v1/assessments/00000000-0000-0000-0000-000000000000", 404),
                        ("uuid-truncated", "/api/v1/assessments/" + U0[:-1], 404), ("uuid-extra", "/api/v1/assessments/" + U0 + "0", 404),
                        ("uuid-braces", "/api/v1/assessments/%7B" + U0 + "%7D", 404), ("sql", "/api/v1/assessments/1'%20OR%20'1'='1", 404),
                        ("script", "/api/v1/assessments/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404), ("nul", "/api/v1/assessments/%00", 404),
                        ("long-4k", "/api/v1/assessments/" + "a" * 4000, 404), ("dotdot", "/api/v1/assessments/..", 404),
                        ("report-random", f"/api/v1/assessments/{U0}/report", 404), ("report-md-bad", "/api/v1/assessments/nope/report?format=md", 404),
                        ("report-format-pdf", f"/api/v1/assessments/{U0}/report?format=pdf", 400),
                        ("report-format-script", f"/api/v1/assessments/{U0}/report?format=%3Cscript%3E", 400),
                        ("soa-random", f"/api/v1/assessments/{U0}/soa.csv", 404), ("soa-bad", "/api/v1/assessments/x/soa.csv", 404),
                        ("controls-random", f"/api/v1/assessments/{U0}/controls.csv", 404), ("controls-sql", "/api/v1/assessments/'--/controls.csv", 404),
                        ("lead-delete-unknown", "/api/v1/leads/" + U0, 404), ("lead-delete-malformed", "/api/v1/leads/not-an-id", 404)]:
    m = "DELETE" if name.startswith("lead-delete") else "GET"
    case(R, name, m, path, exp, headers=AUTH if m == "DELETE" else [])
# IDs that are not even UTF-8 name nothing either (404 problem, not a plain-text 400).
for name, path in [("invalid-utf8-id", "/api/v1/assessments/%ff"), ("invalid-utf8-report", "/api/v1/assessments/%ff/report"),
                   ("invalid-utf8-soa", "/api/v1/assessments/%C3%28/soa.csv"), ("invalid-utf8-controls", "/api/v1/assessments/%80/controls.csv")]:
    case(R, name, "GET", path, 404)
case(R, "lead-delete-invalid-utf8", "DELETE", "/api/v1/leads/%ff", 404, headers=AUTH)
case(R, "report-format-twice", "GET", f"/api/v1/assessments/{U0}/report?format=md&format=html", 400)
# methods an address does not take: 405 problem
W = "methods"
for name, method, path in [("get-evaluate", "GET", EV), ("put-assessments", "PUT", AS), ("delete-bank", "DELETE", "/api/v1/bank"),
                           ("post-healthz", "POST", "/healthz"), ("patch-assessment", "PATCH", "/api/v1/assessments/" + U0),
                           ("post-leads", "POST", "/api/v1/leads")]:
    case(W, name, method, path, 405, headers=[])
tot = 0
for k, v in sorted(count.items()): print(k, v); tot += v
print("total", tot)
