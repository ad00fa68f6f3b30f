#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Proves that the netlink spec (Documentation/netlink/specs/mwan.yaml) and
# the uAPI header (uapi/linux/mwan.h) describe the same ABI: every name the
# spec renders (constants, enum entries, attributes, commands, their count
# and max markers, the family and group defines) exists in the header with
# the same value, every enum member and #define of the header is described
# by the spec, and the spec's own references (enums, nests, checks, notify,
# mcgrp, per-operation attribute lists) resolve.
#
# Names follow the kernel's C code generation rules for the genetlink-c
# protocol level (Documentation/userspace-api/netlink/c-code-gen.rst).
# The header's values come from compiling a generated C program against it,
# so the C compiler, not this script, evaluates them.
#
# Prints TAP, one line per checked group; exit status 1 when anything
# disagrees. --self-test instead perturbs copies of the spec and the header
# and checks that each perturbation is detected.

import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(TOP, 'Documentation', 'netlink', 'specs', 'mwan.yaml')
UAPI = os.path.join(TOP, 'uapi')

IDENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
LIMIT = re.compile(r'^([su])(8|16|32|64)-(min|max)$')
LEN_OR_DEFINE = re.compile(r'^([0-9A-Za-z_-]+)( - 1)?$')


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


class Group:
    """One TAP line: a set of C names with the values the spec gives them."""

    def __init__(self, title, enum_type=None, members=None):
        self.title = title
        self.values = {}           # C name -> int or str
        self.enum_type = enum_type  # 'enum NAME' in the header, or None
        self.members = members      # ordered members of that enum, or None
        self.errors = []


# ---------------------------------------------------------------- the spec

def spec_groups(spec):
    fam = spec['name']
    groups = []

    g = Group('family name, version and multicast group defines')
    g.values[c_upper(spec.get('c-family-name', fam + '-family-name'))] = fam
    g.values[c_upper(spec.get('c-version-name', fam + '-family-version'))] = \
        spec.get('version', 1)
    for grp in spec.get('mcast-groups', {}).get('list', []):
        define = grp.get('c-define-name', f"{fam}-mcgrp-{grp['name']}")
        g.values[c_upper(define)] = grp['name']
    groups.append(g)

    consts = [d for d in spec.get('definitions', [])
              if d['type'] == 'const' and 'header' not in d]
    if consts:
        g = Group('constants')
        for d in consts:
            g.values[c_upper(f"{fam}-{d['name']}")] = d['value']
        groups.append(g)

    for d in spec.get('definitions', []):
        if d['type'] in ('enum', 'flags') and 'header' not in d:
            groups.append(enum_group(fam, d))

    for aset in spec['attribute-sets']:
        if 'subset-of' not in aset:
            groups.append(attr_group(fam, aset))

    groups.append(ops_group(fam, spec))
    return groups


def enum_group(fam, d):
    pfx = d.get('name-prefix', f"{fam}-{d['name']}-")
    ename = d.get('enum-name', f"{fam}-{d['name']}")
    g = Group(f"{d['type']} {d['name']}",
              enum_type=c_lower(ename) if ename else None)
    val = d.get('value-start', 0)
    members = []
    for i, e in enumerate(d['entries']):
        if isinstance(e, str):
            e = {'name': e}
        if 'value' in e:
            val = e['value']
        cname = c_upper(pfx + e['name'])
        g.values[cname] = (1 << val) if d['type'] == 'flags' else val
        members.append(cname)
        val += 1
    if d.get('render-max', False):
        if d['type'] == 'flags':
            mask = 0
            for v in g.values.values():
                mask |= v
            cname = c_upper(d.get('enum-max-name', pfx + 'mask'))
            g.values[cname] = mask
            members.append(cname)
        else:
            cnt = c_upper(d.get('enum-cnt-name', '--' + pfx + 'max'))
            g.values[cnt] = val
            g.values[c_upper(d.get('enum-max-name', pfx + 'max'))] = val - 1
            members.append(cnt)
    g.members = members
    return g


def attr_group(fam, aset):
    if aset['name'] == fam:
        pfx = aset.get('name-prefix', f'{fam}-a-')
    else:
        pfx = aset.get('name-prefix', f"{fam}-a-{aset['name']}-")
    ename = aset.get('enum-name')
    g = Group(f"attribute-set {aset['name']}",
              enum_type=c_lower(ename) if ename else None)
    val = 1
    members = []
    for a in aset['attributes']:
        if 'value' in a:
            val = a['value']
        cname = c_upper(pfx + a['name'])
        g.values[cname] = val
        members.append(cname)
        val += 1
    cnt = c_upper(aset.get('attr-cnt-name', '--' + pfx + 'max'))
    g.values[cnt] = val
    g.values[c_upper(aset.get('attr-max-name', pfx + 'max'))] = val - 1
    members.append(cnt)
    g.members = members
    return g


def ops_group(fam, spec):
    ops = spec['operations']
    pfx = ops.get('name-prefix', f'{fam}-cmd-')
    ename = ops.get('enum-name')
    g = Group('operations',
              enum_type=c_lower(ename) if ename else None)
    val = 1
    members = []
    for op in ops['list']:
        if 'value' in op:
            val = op['value']
        cname = c_upper(pfx + op['name'])
        g.values[cname] = val
        members.append(cname)
        val += 1
    cnt = c_upper(spec.get('cmd-cnt-name', '--' + pfx + 'max'))
    g.values[cnt] = val
    g.values[c_upper(spec.get('cmd-max-name', pfx + 'max'))] = val - 1
    members.append(cnt)
    g.members = members
    return g


def spec_references(spec):
    """Checks the spec against itself; returns (errors, C expressions)."""
    errors = []
    exprs = {}  # C expression -> where it is used
    defs = {d['name']: d for d in spec.get('definitions', [])}
    sets = {s['name']: s for s in spec['attribute-sets']}
    groups = {g['name'] for g in spec.get('mcast-groups', {}).get('list', [])}

    def limit(where, value):
        if isinstance(value, int):
            return value
        if value in defs and defs[value]['type'] == 'const':
            return defs[value]['value']
        m = LIMIT.match(value)
        if m:
            bits = int(m.group(2))
            if m.group(1) == 'u':
                return 0 if m.group(3) == 'min' else (1 << bits) - 1
            return -(1 << (bits - 1)) if m.group(3) == 'min' \
                else (1 << (bits - 1)) - 1
        m = LEN_OR_DEFINE.match(value)
        if not m:
            errors.append(f'{where}: {value!r} is neither a number, a '
                          f'constant nor a define')
            return None
        base = m.group(1)
        if base in defs and defs[base]['type'] == 'const':
            base = str(defs[base]['value'])
        exprs[c_upper(base) + (m.group(2) or '')] = where
        return None

    for aset in spec['attribute-sets']:
        names = [a['name'] for a in aset['attributes']]
        for dup in {n for n in names if names.count(n) > 1}:
            errors.append(f"attribute-set {aset['name']}: "
                          f"attribute {dup} listed twice")
        for a in aset['attributes']:
            where = f"attribute {aset['name']}.{a['name']}"
            if 'nested-attributes' in a and a['nested-attributes'] not in sets:
                errors.append(f"{where}: nested-attributes "
                              f"{a['nested-attributes']} is no attribute-set")
            if 'enum' in a:
                d = defs.get(a['enum'])
                if not d or d['type'] not in ('enum', 'flags'):
                    errors.append(f"{where}: enum {a['enum']} is not defined")
                elif 'max' in a.get('checks', {}) and d['type'] == 'enum':
                    top = len(d['entries']) - 1 + d.get('value-start', 0)
                    if limit(where, a['checks']['max']) != top:
                        errors.append(f"{where}: checks max "
                                      f"{a['checks']['max']} is not the last "
                                      f"value of enum {a['enum']} ({top})")
            checks = a.get('checks', {})
            for key in ('min', 'max', 'min-len', 'max-len', 'exact-len'):
                if key in checks:
                    limit(f'{where} checks {key}', checks[key])
            lo, hi = checks.get('min'), checks.get('max')
            if lo is not None and hi is not None:
                lo, hi = limit(where, lo), limit(where, hi)
                if lo is not None and hi is not None and lo > hi:
                    errors.append(f'{where}: checks min {lo} > max {hi}')

    ops = {op['name']: op for op in spec['operations']['list']}
    for op in spec['operations']['list']:
        where = f"operation {op['name']}"
        aset = sets.get(op.get('attribute-set'))
        if 'attribute-set' in op and not aset:
            errors.append(f"{where}: attribute-set {op['attribute-set']} "
                          f"is not defined")
        for mode in ('do', 'dump'):
            for part in ('request', 'reply'):
                attrs = op.get(mode, {}).get(part, {}).get('attributes', [])
                known = [a['name'] for a in aset['attributes']] if aset else []
                for name in attrs:
                    if name not in known:
                        errors.append(f"{where} {mode} {part}: {name} is not "
                                      f"in attribute-set "
                                      f"{op.get('attribute-set')}")
        if 'notify' in op:
            target = ops.get(op['notify'])
            if not target or 'reply' not in target.get('do', {}):
                errors.append(f"{where}: notify {op['notify']} is not an "
                              f"operation with a do reply")
        if 'mcgrp' in op and op['mcgrp'] not in groups:
            errors.append(f"{where}: mcgrp {op['mcgrp']} is not in "
                          f"mcast-groups")
        for flag in op.get('flags', []):
            if flag not in ('admin-perm', 'uns-admin-perm'):
                errors.append(f'{where}: unknown flag {flag}')
    return errors, exprs


# -------------------------------------------------------------- the header

def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', text)


def header_names(path):
    """Returns ({enum type or None: [members]}, [defines]) from the header."""
    text = strip_comments(open(path).read())
    enums = []
    for m in re.finditer(r'\benum\s*([A-Za-z_]\w*)?\s*\{(.*?)\}\s*;',
                         text, flags=re.S):
        members = []
        for item in m.group(2).split(','):
            item = item.strip()
            if item:
                members.append(IDENT.match(item).group(0))
        enums.append((m.group(1), members))
    defines = []
    for m in re.finditer(r'^\s*#\s*define\s+([A-Za-z_]\w*)(\(?)[ \t]*(.*)$',
                         text, flags=re.M):
        if m.group(2) or not m.group(3).strip():
            continue  # function-like macros and the include guard
        defines.append(m.group(1))
    return enums, defines


def header_values(header_dir, header_rel, exprs, workdir):
    """Compiles a program printing every expression; returns {expr: value}."""
    src = os.path.join(workdir, 'values.c')
    exe = os.path.join(workdir, 'values')
    with open(src, 'w') as f:
        f.write('#include <stdio.h>\n')
        f.write(f'#include <{header_rel}>\n\n')
        f.write('static void print_str(const char *what, const char *v)\n'
                '{\n\tprintf("%s\\ts\\t%s\\n", what, v);\n}\n\n'
                'static void print_int(const char *what, long long v)\n'
                '{\n\tprintf("%s\\ti\\t%lld\\n", what, v);\n}\n\n'
                '#define P(x) _Generic((x), char *: print_str, '
                'const char *: print_str, default: print_int)(#x, (x))\n\n'
                'int main(void)\n{\n')
        for e in exprs:
            f.write(f'\tP({e});\n')
        f.write('\treturn 0;\n}\n')
    cc = os.environ.get('CC', 'cc')
    res = subprocess.run([cc, '-std=gnu11', '-Wall', '-Werror',
                          '-I', header_dir, '-o', exe, src],
                         capture_output=True, text=True)
    if res.returncode:
        raise RuntimeError('cannot compile the header value program:\n'
                           + res.stderr)
    out = subprocess.run([exe], capture_output=True, text=True, check=True)
    values = {}
    for line in out.stdout.splitlines():
        what, kind, value = line.split('\t', 2)
        values[what] = int(value) if kind == 'i' else value
    return values


# --------------------------------------------------------------- comparing

def check(spec_path, header_dir):
    """Returns [(title, [errors])]: one entry per TAP line."""
    spec = yaml.safe_load(open(spec_path))
    header_rel = spec.get('uapi-header', f"linux/{spec['name']}.h")
    header_path = os.path.join(header_dir, header_rel)
    enums, defines = header_names(header_path)
    header_known = set(defines)
    for _, members in enums:
        header_known.update(members)

    groups = spec_groups(spec)
    ref_errors, exprs = spec_references(spec)

    wanted = []
    for g in groups:
        wanted += [n for n in g.values if n in header_known]
    for e, where in exprs.items():
        unknown = [i for i in IDENT.findall(e) if i not in header_known]
        if unknown:
            ref_errors.append(f"{where}: {', '.join(unknown)} not defined "
                              f"in {header_rel}")
    good_exprs = [e for e in exprs
                  if all(i in header_known for i in IDENT.findall(e))]

    with tempfile.TemporaryDirectory() as tmp:
        values = header_values(header_dir, header_rel,
                               wanted + good_exprs, tmp)

    described = set()
    for g in groups:
        described.update(g.values)
        for name, want in g.values.items():
            if name not in header_known:
                g.errors.append(f'{name} = {want!r} is not in {header_rel}')
            elif values[name] != want:
                g.errors.append(f'{name}: spec says {want!r}, '
                                f'{header_rel} says {values[name]!r}')
        if g.members is None:
            continue
        hdr = find_enum(enums, g)
        if hdr is None:
            g.errors.append(f"no enum {g.enum_type or 'holding ' + g.members[0]}"
                            f' in {header_rel}')
            continue
        hdr_type, hdr_members = hdr
        for name in hdr_members:
            if name not in g.members:
                g.errors.append(f"enum {hdr_type or '(anonymous)'}: member "
                                f'{name} is not in the spec')
        if [m for m in hdr_members if m in g.members] != \
                [m for m in g.members if m in hdr_members]:
            g.errors.append(f"enum {hdr_type or '(anonymous)'}: members in "
                            f'another order than in the spec')

    results = [(g.title, g.errors) for g in groups]

    undescribed = [f'enum {t}' for t, _ in enums
                   if t and t not in {g.enum_type for g in groups}]
    undescribed += [f'#define {d}' for d in defines if d not in described]
    results.append((f'every enum and #define of {header_rel} is in the spec',
                    [f'{u} is not described by the spec'
                     for u in undescribed]))
    results.append(('references inside the spec resolve', ref_errors))
    return results


def find_enum(enums, g):
    for t, members in enums:
        if g.enum_type and t == g.enum_type:
            return t, members
    if g.enum_type is None:
        for t, members in enums:
            if g.members[0] in members:
                return t, members
    return None


def run(spec_path, header_dir, out=sys.stdout):
    try:
        results = check(spec_path, header_dir)
    except (OSError, KeyError, TypeError, yaml.YAMLError,
            RuntimeError) as e:
        print('1..1', file=out)
        print(f'not ok 1 - read {os.path.basename(spec_path)} and the header',
              file=out)
        for line in str(e).splitlines() or [repr(e)]:
            print(f'# {line}', file=out)
        return 1
    print(f'1..{len(results)}', file=out)
    failed = 0
    for i, (title, errors) in enumerate(results, 1):
        print(f"{'not ok' if errors else 'ok'} {i} - {title}", file=out)
        for e in errors:
            print(f'# {e}', file=out)
        failed += bool(errors)
    return 1 if failed else 0


# --------------------------------------------------------------- self-test

def perturbations():
    """(what, edit of the spec dict or None, edit of the header text or None,
    text expected in the diagnostics)."""

    def const(spec, name):
        return next(d for d in spec['definitions'] if d['name'] == name)

    def aset(spec, name):
        return next(s for s in spec['attribute-sets'] if s['name'] == name)

    def attr(spec, sname, aname):
        return next(a for a in aset(spec, sname)['attributes']
                    if a['name'] == aname)

    def op(spec, name):
        return next(o for o in spec['operations']['list']
                    if o['name'] == name)

    def set_(d, k, v):
        d[k] = v

    def swap(lst, a, b):
        ia = next(i for i, x in enumerate(lst) if x['name'] == a)
        ib = next(i for i, x in enumerate(lst) if x['name'] == b)
        lst[ia], lst[ib] = lst[ib], lst[ia]

    def drop(lst, name):
        lst[:] = [x for x in lst
                  if (x if isinstance(x, str) else x['name']) != name]

    uplink = lambda s: aset(s, 'uplink')['attributes']  # noqa: E731
    return [
        ('constant value changed',
         lambda s: set_(const(s, 'weight-max'), 'value', 1001), None,
         'MWAN_WEIGHT_MAX: spec says 1001'),
        ('constant missing from the spec',
         lambda s: drop(s['definitions'], 'track-max'), None,
         '#define MWAN_TRACK_MAX is not described'),
        ('constant not in the header',
         lambda s: s['definitions'].insert(0, {'name': 'extra', 'type': 'const',
                                               'value': 3}), None,
         'MWAN_EXTRA = 3 is not in'),
        ('attribute renamed',
         lambda s: set_(attr(s, 'uplink', 'weight'), 'name', 'weigth'), None,
         'MWAN_UPLINK_A_WEIGHT is not in the spec'),
        ('two attributes swapped',
         lambda s: swap(uplink(s), 'weight', 'metric'), None,
         'MWAN_UPLINK_A_WEIGHT: spec says 11'),
        ('attribute dropped',
         lambda s: drop(uplink(s), 'stats'), None,
         'MWAN_UPLINK_A_STATS is not in the spec'),
        ('nested attribute value moved',
         lambda s: set_(aset(s, 'stats')['attributes'][2], 'value', 5), None,
         'MWAN_STATS_A_PACKETS: spec says 5'),
        ('enum entry dropped',
         lambda s: drop(next(d for d in s['definitions']
                             if d['name'] == 'reason')['entries'], 'health'),
         None, 'MWAN_REASON_HEALTH is not in the spec'),
        ('enum entry added',
         lambda s: next(d for d in s['definitions']
                        if d['name'] == 'state')['entries'].append('testing'),
         None, 'MWAN_STATE_TESTING = 2 is not in'),
        ('command inserted',
         lambda s: s['operations']['list'].insert(
             2, {'name': 'uplink-flush', 'doc': 'x'}), None,
         'MWAN_CMD_UPLINK_NEW: spec says 3'),
        ('multicast group renamed',
         lambda s: set_(s['mcast-groups']['list'][0], 'name', 'event'), None,
         'MWAN_MCGRP_EVENT = \'event\' is not in'),
        ('family name changed',
         lambda s: set_(s, 'name', 'mwan2'), None,
         'is not in'),
        ('check refers to an unknown constant',
         lambda s: set_(attr(s, 'uplink', 'weight')['checks'], 'max',
                        'mwan-weight-top'), None,
         'MWAN_WEIGHT_TOP not defined'),
        ('enum check disagrees with the enum',
         lambda s: set_(attr(s, 'uplink', 'admin')['checks'], 'max', 3), None,
         'is not the last value of enum admin'),
        ('operation names an unknown attribute',
         lambda s: op(s, 'uplink-del')['do']['request']['attributes'].append(
             'ifindx'), None,
         'ifindx is not in attribute-set uplink'),
        ('header enum gained a member',
         None, lambda h: h.replace('\tMWAN_TRACK_A_ADDR,',
                                   '\tMWAN_TRACK_A_ADDR,\n\tMWAN_TRACK_A_PORT,'),
         'member MWAN_TRACK_A_PORT is not in the spec'),
        ('header define changed',
         None, lambda h: re.sub(r'(#define MWAN_METRIC_MAX\s+)255', r'\g<1>254',
                                h),
         "MWAN_METRIC_MAX: spec says 255, linux/mwan.h says 254"),
        ('header string define changed',
         None, lambda h: h.replace('"events"', '"event"'),
         "MWAN_MCGRP_EVENTS: spec says 'events', linux/mwan.h says 'event'"),
    ]


def self_test():
    spec = yaml.safe_load(open(SPEC))
    header_rel = spec.get('uapi-header', f"linux/{spec['name']}.h")
    header_text = open(os.path.join(UAPI, header_rel)).read()
    cases = perturbations()
    print(f'1..{len(cases) + 1}')
    failed = 0

    class Sink:
        def __init__(self):
            self.text = ''

        def write(self, s):
            self.text += s

    with tempfile.TemporaryDirectory() as tmp:
        sink = Sink()
        rc = run(SPEC, UAPI, out=sink)
        good = rc == 0
        print(f"{'ok' if good else 'not ok'} 1 - the unmodified spec and "
              f"header agree")
        failed += not good
        for i, (what, edit_spec, edit_header, expect) in enumerate(cases, 2):
            s = copy.deepcopy(spec)
            if edit_spec:
                edit_spec(s)
            spec_path = os.path.join(tmp, f'spec{i}.yaml')
            with open(spec_path, 'w') as f:
                yaml.safe_dump(s, f, sort_keys=False)
            hdir = os.path.join(tmp, f'uapi{i}')
            os.makedirs(os.path.dirname(os.path.join(hdir, header_rel)))
            text = edit_header(header_text) if edit_header else header_text
            if edit_header and text == header_text:
                raise RuntimeError(f'perturbation "{what}" changed nothing')
            with open(os.path.join(hdir, header_rel), 'w') as f:
                f.write(text)
            sink = Sink()
            rc = run(spec_path, hdir, out=sink)
            detected = rc == 1 and expect in sink.text
            print(f"{'ok' if detected else 'not ok'} {i} - detects: {what}")
            if not detected:
                print(f'# exit {rc}, expected a diagnostic containing '
                      f'{expect!r}; got:')
                for line in sink.text.splitlines():
                    print(f'#   {line}')
            failed += not detected
            shutil.rmtree(hdir)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--spec', default=SPEC)
    ap.add_argument('--uapi', default=UAPI,
                    help='directory holding linux/mwan.h (default: %(default)s)')
    ap.add_argument('--self-test', action='store_true',
                    help='check that perturbed copies of the spec and header '
                         'are detected')
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    return run(args.spec, args.uapi)


if __name__ == '__main__':
    sys.exit(main())
