// helm-lite: a small renderer for the subset of Go templates and Helm/Sprig functions that helm/vaecf uses, so the
// chart can be rendered and checked where no Helm binary exists. It is NOT Helm: it knows only the functions in
// FUNCS below and fails loudly (file and line) on anything else, so a template that uses more must either extend
// this file or be checked with real Helm.
//
// Supported: text/actions with {{- -}} trimming, {{/* comments */}}, define/include/template, if/else if/else,
// with/else, range over lists and maps (with $i, $v :=), variables ($x := / $x =, $), pipelines, parentheses,
// string/number/bool/nil literals, field chains (.Values.a.b, $x.a), method calls such as .Files.Get "path".
import { stringify } from "yaml";

const NONE = Symbol("none"); // "no piped value"

// ---- lexing: text and {{ actions }} ----
function lex(src, file) {
  const out = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    if (open < 0) { out.push({ t: "text", v: src.slice(i) }); break; }
    if (open > i) out.push({ t: "text", v: src.slice(i, open) });
    line += count(src.slice(i, open), "\n");
    let j = open + 2;
    const trimLeft = src[j] === "-" && /\s/.test(src[j + 1] ?? "");
    if (trimLeft) j += 1;
    let quote = null;
    let close = -1;
    for (let k = j; k < src.length - 1; k++) {
      const c = src[k];
      if (quote) { if (c === "\\" && quote === '"') k++; else if (c === quote) quote = null; continue; }
      if (src.startsWith("/*", k)) { const e = src.indexOf("*/", k + 2); if (e < 0) break; k = e + 1; continue; }
      if (c === '"' || c === "`") { quote = c; continue; }
      if (c === "}" && src[k + 1] === "}") { close = k; break; }
    }
    if (close < 0) throw new Error(`${file}:${line}: unclosed action "{{"`);
    let body = src.slice(j, close);
    const trimRight = /\s-$/.test(body);
    if (trimRight) body = body.slice(0, -1);
    out.push({ t: "action", v: body.trim(), trimLeft, trimRight, line, file });
    line += count(src.slice(open, close + 2), "\n");
    i = close + 2;
  }
  for (let k = 0; k < out.length; k++) {
    const a = out[k];
    if (a.t !== "action") continue;
    if (a.trimLeft && out[k - 1]?.t === "text") out[k - 1].v = out[k - 1].v.replace(/\s+$/, "");
    if (a.trimRight && out[k + 1]?.t === "text") out[k + 1].v = out[k + 1].v.replace(/^\s+/, "");
  }
  return out;
}
const count = (s, c) => s.split(c).length - 1;

// ---- tokens inside an action ----
function tokenize(s, where) {
  const toks = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const rest = s.slice(i);
    let m;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      m = /^"(?:[^"\\]|\\.)*"/.exec(rest);
      if (!m) throw new Error(`${where}: unterminated string`);
      toks.push({ t: "str", v: JSON.parse(m[0]) });
    } else if (c === "`") {
      const e = s.indexOf("`", i + 1);
      if (e < 0) throw new Error(`${where}: unterminated raw string`);
      m = [s.slice(i, e + 1)];
      toks.push({ t: "str", v: m[0].slice(1, -1) });
    } else if ((m = /^:=|^[()|,=]/.exec(rest))) {
      toks.push({ t: m[0] });
    } else if ((m = /^\$([A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)/.exec(rest))) {
      toks.push({ t: "var", name: "$" + m[1], path: m[2] ? m[2].slice(1).split(".") : [] });
    } else if ((m = /^(?:\.[A-Za-z0-9_]+)+|^\./.exec(rest))) {
      toks.push({ t: "field", path: m[0] === "." ? [] : m[0].slice(1).split(".") });
    } else if ((m = /^-?\d+(?:\.\d+)?/.exec(rest))) {
      // Go: 63 is an int constant, 0.5 a float; values from YAML are always float64 (numbers here).
      toks.push({ t: "lit", v: m[0].includes(".") ? Number(m[0]) : BigInt(m[0]) });
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      const w = m[0];
      toks.push(w === "true" || w === "false" ? { t: "lit", v: w === "true" } : w === "nil" ? { t: "lit", v: null } : { t: "ident", name: w });
    } else {
      throw new Error(`${where}: unexpected "${c}" in action`);
    }
    i += m[0].length;
  }
  return toks;
}

// pipeline := [vars (":=" | "=")] command ("|" command)* ; command := operand+
function parsePipeline(toks, where) {
  let pos = 0;
  const pipe = { decl: [], assign: false, cmds: [] };
  const declEnd = toks.findIndex((t) => t.t === ":=" || t.t === "=");
  if (declEnd > 0 && toks.slice(0, declEnd).every((t) => t.t === "var" || t.t === ",")) {
    pipe.decl = toks.slice(0, declEnd).filter((t) => t.t === "var").map((t) => t.name);
    pipe.assign = toks[declEnd].t === "=";
    pos = declEnd + 1;
  }
  function operand() {
    const t = toks[pos++];
    if (!t) throw new Error(`${where}: missing operand`);
    if (t.t === "(") {
      const start = pos;
      let depth = 1;
      while (pos < toks.length && depth > 0) { if (toks[pos].t === "(") depth++; if (toks[pos].t === ")") depth--; pos++; }
      if (depth !== 0) throw new Error(`${where}: unbalanced parentheses`);
      return { t: "pipe", pipe: parsePipeline(toks.slice(start, pos - 1), where) };
    }
    if (["str", "lit", "var", "field", "ident"].includes(t.t)) return t;
    throw new Error(`${where}: unexpected "${t.t}"`);
  }
  let cmd = [];
  while (pos < toks.length) {
    if (toks[pos].t === "|") { if (!cmd.length) throw new Error(`${where}: empty command`); pipe.cmds.push(cmd); cmd = []; pos++; continue; }
    cmd.push(operand());
  }
  if (!cmd.length) throw new Error(`${where}: empty pipeline`);
  pipe.cmds.push(cmd);
  return pipe;
}

// ---- parsing actions into a tree ----
function parse(items, templates) {
  let k = 0;
  function block(stopWords) {
    const nodes = [];
    while (k < items.length) {
      const it = items[k];
      if (it.t === "text") { nodes.push({ t: "text", v: it.v }); k++; continue; }
      const where = `${it.file}:${it.line}`;
      if (it.v.startsWith("/*")) {
        if (!it.v.endsWith("*/")) throw new Error(`${where}: comment must end with "*/" before "}}"`);
        k++; continue;
      }
      const word = /^[A-Za-z_]+/.exec(it.v)?.[0];
      if (stopWords.includes(word)) return { nodes, stop: word, item: it };
      k++;
      const rest = it.v.slice(word?.length ?? 0);
      if (word === "if" || word === "with" || word === "range") {
        const node = { t: word, where, branches: [{ pipe: parsePipeline(tokenize(rest, where), where) }], elseBody: null };
        for (;;) {
          const r = block(["else", "end"]);
          node.branches[node.branches.length - 1].body = r.nodes;
          if (!r.stop) throw new Error(`${where}: "${word}" has no {{ end }}`);
          k++;
          if (r.stop === "end") break;
          const elseRest = r.item.v.slice(4).trim();
          if (word === "if" && elseRest.startsWith("if ")) {
            node.branches.push({ pipe: parsePipeline(tokenize(elseRest.slice(3), where), where) });
            continue;
          }
          if (elseRest) throw new Error(`${where}: unsupported "else ${elseRest}"`);
          const e = block(["end"]);
          if (!e.stop) throw new Error(`${where}: "${word}" has no {{ end }}`);
          k++;
          node.elseBody = e.nodes;
          break;
        }
        nodes.push(node);
      } else if (word === "define") {
        const name = tokenize(rest, where)[0];
        if (name?.t !== "str") throw new Error(`${where}: define needs a quoted name`);
        const r = block(["end"]);
        if (!r.stop) throw new Error(`${where}: define "${name.v}" has no {{ end }}`);
        k++;
        templates[name.v] = r.nodes;
      } else if (word === "template") {
        const toks = tokenize(rest, where);
        if (toks[0]?.t !== "str") throw new Error(`${where}: template needs a quoted name`);
        nodes.push({ t: "template", where, name: toks[0].v, pipe: toks.length > 1 ? parsePipeline(toks.slice(1), where) : null });
      } else if (["else", "end", "block", "break", "continue"].includes(word)) {
        throw new Error(`${where}: unexpected {{ ${word} }}`);
      } else {
        nodes.push({ t: "action", where, pipe: parsePipeline(tokenize(it.v, where), where) });
      }
    }
    return { nodes, stop: null };
  }
  const r = block([]);
  return r.nodes;
}

// ---- evaluation ----
const truthy = (v) => !(v === undefined || v === null || v === false || v === 0 || v === "" ||
  (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0));
const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// Helm reads every number in values as a float64 and Go prints it with %v (shortest %g), so 1000000 prints as
// "1e+06", a well-known Helm pitfall; `int` gives a Go int, printed in full (a BigInt here).
function goFloat(v) {
  const [mantissa, exp] = v.toExponential().split("e");
  const e = Number(exp);
  if (v === 0 || (e >= -4 && e < 6)) return String(v);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

function print(v, where) {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  throw new Error(`${where}: cannot print a ${Array.isArray(v) ? "list" : "map"} (use toYaml)`);
}

function toYaml(v) {
  if (v === undefined || v === null) return "null";
  return stringify(v, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).replace(/\n$/, "");
}

function sprintf(fmt, args, where) {
  let n = 0;
  return fmt.replace(/%([sdvq%])/g, (_, c) => {
    if (c === "%") return "%";
    const a = args[n++];
    if (c === "q") return JSON.stringify(String(a));
    if (c === "d" && typeof a !== "bigint" && !Number.isInteger(a)) throw new Error(`${where}: %d needs an integer`);
    return print(a, where);
  });
}

// Go templates refuse to compare an int with a float64 ("incompatible types for comparison"), the Helm error seen
// when a value from values.yaml (float64) meets an integer literal.
function comparable(a, b) {
  const kind = (v) => (typeof v === "bigint" ? "int" : typeof v === "number" ? "float" : "other");
  if (kind(a) !== "other" && kind(b) !== "other" && kind(a) !== kind(b)) throw new Error("incompatible types for comparison");
  return a;
}

const FUNCS = {
  default: (d, v) => (truthy(v) ? v : d),
  required: (msg, v) => { if (v === undefined || v === null || v === "") throw new Error(msg); return v; },
  fail: (msg) => { throw new Error(msg); },
  quote: (...a) => a.map((x) => JSON.stringify(print(x, "quote"))).join(" "),
  squote: (...a) => a.map((x) => `'${x ?? ""}'`).join(" "),
  indent: (n, s) => String(s).split("\n").map((l) => " ".repeat(Number(n)) + l).join("\n"),
  nindent: (n, s) => "\n" + FUNCS.indent(n, s),
  trunc: (n, s) => String(s).slice(0, Number(n)),
  trimSuffix: (x, s) => (String(s).endsWith(x) ? String(s).slice(0, -x.length) : String(s)),
  trimPrefix: (x, s) => (String(s).startsWith(x) ? String(s).slice(x.length) : String(s)),
  trim: (s) => String(s).trim(),
  replace: (a, b, s) => String(s).split(a).join(b),
  contains: (sub, s) => String(s).includes(sub),
  hasPrefix: (p, s) => String(s).startsWith(p),
  upper: (s) => String(s).toUpperCase(),
  lower: (s) => String(s).toLowerCase(),
  toString: (v) => print(v, "toString"),

  int: (v) => BigInt(Math.trunc(Number(v))),
  add: (a, b) => BigInt(Math.trunc(Number(a))) + BigInt(Math.trunc(Number(b))),
  sub: (a, b) => BigInt(Math.trunc(Number(a))) - BigInt(Math.trunc(Number(b))),
  printf: (fmt, ...a) => sprintf(fmt, a, "printf"),
  toYaml,
  toJson: (v) => JSON.stringify(v ?? null),
  eq: (a, ...bs) => bs.some((b) => comparable(a, b) === b),
  ne: (a, b) => comparable(a, b) !== b,
  lt: (a, b) => comparable(a, b) < b,
  le: (a, b) => comparable(a, b) <= b,
  gt: (a, b) => comparable(a, b) > b,
  ge: (a, b) => comparable(a, b) >= b,
  not: (v) => !truthy(v),
  empty: (v) => !truthy(v),
  len: (v) => (isMap(v) ? Object.keys(v).length : (v ?? "").length),
  list: (...a) => a,
  dict: (...a) => Object.fromEntries(Array.from({ length: a.length / 2 }, (_, i) => [a[2 * i], a[2 * i + 1]])),
  hasKey: (m, k) => isMap(m) && Object.hasOwn(m, k),
};

/** A parsed chart's templates: render(file, root) → text. */
export class TemplateSet {
  constructor() { this.named = {}; this.files = {}; }

  /** Parses one template file; named templates from define blocks become visible to every file. */
  add(file, src) { this.files[file] = parse(lex(src, file), this.named); }

  render(file, root) { return this.#run(this.files[file], root, [{ $: root }]); }

  include(name, dot, where) {
    const body = this.named[name];
    if (!body) throw new Error(`${where}: no template named "${name}"`);
    return this.#run(body, dot, [{ $: dot }]);
  }

  #run(nodes, dot, scopes) {
    let out = "";
    for (const n of nodes) out += this.#node(n, dot, scopes);
    return out;
  }

  #node(n, dot, scopes) {
    switch (n.t) {
      case "text": return n.v;
      case "action": {
        const v = this.#pipe(n.pipe, dot, scopes, n.where);
        return n.pipe.decl.length ? "" : print(v, n.where);
      }
      case "template": return this.include(n.name, n.pipe ? this.#pipe(n.pipe, dot, scopes, n.where) : null, n.where);
      case "if": {
        const inner = [...scopes, {}];
        for (const b of n.branches) if (truthy(this.#pipe(b.pipe, dot, inner, n.where))) return this.#run(b.body, dot, inner);
        return n.elseBody ? this.#run(n.elseBody, dot, inner) : "";
      }
      case "with": {
        const inner = [...scopes, {}];
        const v = this.#pipe(n.branches[0].pipe, dot, inner, n.where);
        if (truthy(v)) return this.#run(n.branches[0].body, v, inner);
        return n.elseBody ? this.#run(n.elseBody, dot, inner) : "";
      }
      case "range": {
        const pipe = n.branches[0].pipe;
        const v = this.#pipe({ ...pipe, decl: [] }, dot, scopes, n.where);
        const entries = Array.isArray(v) ? v.map((x, i) => [i, x]) : isMap(v) ? Object.keys(v).sort().map((k) => [k, v[k]]) : [];
        if (v !== null && v !== undefined && !Array.isArray(v) && !isMap(v)) throw new Error(`${n.where}: range over a ${typeof v}`);
        if (!entries.length) return n.elseBody ? this.#run(n.elseBody, dot, scopes) : "";
        let out = "";
        for (const [key, val] of entries) {
          const scope = {};
          if (pipe.decl.length === 1) scope[pipe.decl[0]] = val;
          if (pipe.decl.length === 2) { scope[pipe.decl[0]] = key; scope[pipe.decl[1]] = val; }
          out += this.#run(n.branches[0].body, val, [...scopes, scope]);
        }
        return out;
      }
      default: throw new Error(`unknown node ${n.t}`);
    }
  }

  #pipe(pipe, dot, scopes, where) {
    let v = NONE;
    for (const cmd of pipe.cmds) v = this.#cmd(cmd, dot, scopes, where, v);
    if (pipe.decl.length === 1) {
      const name = pipe.decl[0];
      const target = pipe.assign ? [...scopes].reverse().find((s) => Object.hasOwn(s, name)) : scopes[scopes.length - 1];
      if (!target) throw new Error(`${where}: assignment to undeclared ${name}`);
      target[name] = v;
    } else if (pipe.decl.length > 1) {
      throw new Error(`${where}: several variables are only allowed in range`);
    }
    return v;
  }

  #cmd(cmd, dot, scopes, where, piped) {
    const [head, ...rest] = cmd;
    const arg = (o) => this.#operand(o, dot, scopes, where);
    if (head.t === "ident") {
      if (head.name === "and" || head.name === "or") {
        const thunks = rest.map((o) => () => arg(o));
        if (piped !== NONE) thunks.push(() => piped);
        let last;
        for (const t of thunks) { last = t(); if (head.name === "and" ? !truthy(last) : truthy(last)) return last; }
        return last;
      }
      const args = rest.map(arg);
      if (piped !== NONE) args.push(piped);
      if (head.name === "include") return this.include(args[0], args[1], where);
      const fn = FUNCS[head.name];
      if (!fn) throw new Error(`${where}: function "${head.name}" is not supported by helm-lite`);
      try { return fn(...args); } catch (e) { throw new Error(`${where}: ${head.name}: ${e.message}`); }
    }
    const v = arg(head);
    if (typeof v === "function") {
      const args = rest.map(arg);
      if (piped !== NONE) args.push(piped);
      return v(...args);
    }
    if (rest.length || piped !== NONE) throw new Error(`${where}: ${head.t} is not a function and takes no arguments`);
    return v;
  }

  #operand(o, dot, scopes, where) {
    switch (o.t) {
      case "str": case "lit": return o.v;
      case "pipe": return this.#pipe(o.pipe, dot, scopes, where);
      case "field": return walk(dot, o.path, where, ".");
      case "var": {
        const s = [...scopes].reverse().find((x) => Object.hasOwn(x, o.name));
        if (!s) throw new Error(`${where}: undefined variable ${o.name}`);
        return walk(s[o.name], o.path, where, o.name);
      }
      default: throw new Error(`${where}: "${o.name ?? o.t}" used as a value`);
    }
  }
}

function walk(v, path, where, start) {
  let cur = v;
  let seen = start;
  for (const p of path) {
    if (cur === undefined || cur === null) throw new Error(`${where}: nil pointer evaluating ${seen}.${p}`);
    if (!isMap(cur)) throw new Error(`${where}: ${seen} is not a map, cannot read .${p}`);
    cur = cur[p];
    seen = `${seen === "." ? "" : seen}.${p}`;
  }
  return cur;
}
