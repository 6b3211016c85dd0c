#!/usr/bin/env python3
"""Turns GNOME Help (Mallard XML, from Debian's gnome-user-docs package) in one language
into a Fixpath kb folder, for the per-language relevance benchmark.

usage: apt-get download gnome-user-docs && dpkg-deb -x gnome-user-docs_*.deb pkg
       python3 convert-gnome-help.py pkg/usr/share/help/fr/gnome-help gnome-help-fr fr

Topic pages become articles (guide pages, which only list links, are left out): the
title, the <desc> as summary, sections as `##` headings, steps as numbered lists. Authors
and translators named in the pages are collected into CREDITS.md (CC BY-SA 3.0 asks for
attribution); the converted text stays under CC BY-SA 3.0.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

MAL = '{http://projectmallard.org/1.0/}'
INLINE_CODE = {'cmd', 'code', 'file', 'sys', 'input', 'output', 'var', 'app'}
INLINE_BOLD = {'gui', 'guiseq', 'key', 'keyseq'}


def local(tag):
    return tag.split('}', 1)[-1] if isinstance(tag, str) else ''


def inline(el):
    """An element's inline content as one line of markdown."""
    out = [el.text or '']
    for child in el:
        name = local(child.tag)
        inner = inline(child).strip()
        if name in INLINE_CODE and inner:
            out.append('`' + inner.replace('`', "'") + '`')
        elif name in INLINE_BOLD and inner:
            out.append('**' + inner + '**')
        elif name == 'em' and inner:
            out.append('*' + inner + '*')
        elif name in ('media', 'info', 'comment'):
            pass
        else:
            out.append(inner)
        out.append(child.tail or '')
    return re.sub(r'\s+', ' ', ''.join(out))


def blocks(el, depth, lines):
    """Block content of `el` appended to `lines` as markdown."""
    for child in el:
        name = local(child.tag)
        if name in ('info', 'title', 'subtitle', 'desc', 'comment', 'media', 'links'):
            continue
        if name == 'section':
            title = child.find(MAL + 'title')
            if title is not None:
                lines += ['', '#' * min(depth, 4) + ' ' + inline(title).strip(), '']
            blocks(child, depth + 1, lines)
        elif name in ('p', 'code', 'screen'):
            text = inline(child).strip()
            if text:
                lines += [text, '']
        elif name in ('steps', 'list', 'terms', 'tree'):
            numbered = name == 'steps'
            for n, item in enumerate(child, 1):
                if local(item.tag) == 'title':
                    lines += [inline(item).strip(), '']
                    continue
                parts = []
                for part in item:
                    text = inline(part).strip()
                    if text:
                        parts.append(text)
                if not parts and (item.text or '').strip():
                    parts.append(inline(item).strip())
                if parts:
                    marker = f'{n}.' if numbered else '-'
                    lines.append(f'{marker} ' + ' '.join(parts))
            lines.append('')
        elif name in ('note', 'example', 'quote', 'figure', 'synopsis', 'div', 'listing'):
            blocks(child, depth, lines)
        elif name == 'table':
            for row in child.iter(MAL + 'tr'):
                cells = [inline(cell).strip() for cell in row]
                if any(cells):
                    lines.append('- ' + ' — '.join(c for c in cells if c))
            lines.append('')


def yaml_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def convert(src, out, lang):
    os.makedirs(out, exist_ok=True)
    authors, translators = set(), set()
    count = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith('.page'):
            continue
        root = ET.parse(os.path.join(src, name)).getroot()
        if root.get('type') != 'topic':
            continue
        info = root.find(MAL + 'info')
        for credit in root.iter():
            if local(credit.tag) != 'credit':
                continue
            who = credit.find(MAL + 'name')
            if who is None or not (who.text or '').strip():
                continue
            if 'translator' in (credit.get('type') or ''):
                translators.add(who.text.strip())
            else:
                authors.add(who.text.strip())
        title = inline(root.find(MAL + 'title')).strip()
        # Troubleshooting series share a title and tell their pages apart by subtitle.
        subtitle = root.find(MAL + 'subtitle')
        if subtitle is not None and inline(subtitle).strip():
            title += ' — ' + inline(subtitle).strip()
        desc = info.find(MAL + 'desc') if info is not None else None
        summary = inline(desc).strip() if desc is not None else ''
        lines = []
        blocks(root, 2, lines)
        body = re.sub(r'\n{3,}', '\n\n', '\n'.join(lines)).strip()
        if not body:
            continue
        front = ['---', 'title: ' + yaml_string(title)]
        if summary:
            front.append('summary: ' + yaml_string(summary))
        front.append('---')
        with open(os.path.join(out, name[:-5] + '.md'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(front) + '\n\n' + body + '\n')
        count += 1
    with open(os.path.join(out, 'CREDITS.md'), 'w', encoding='utf-8') as f:
        f.write('# Credits\n\nAuthors named in the converted pages: ' + ', '.join(sorted(authors)) + '.\n\n')
        f.write(f'Translators ({lang}) named in the converted pages: ' + ', '.join(sorted(translators)) + '.\n')
    print(f'{count} articles written to {out}')


if __name__ == '__main__':
    convert(*sys.argv[1:4])
