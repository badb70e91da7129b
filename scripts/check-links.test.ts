import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The repository explains itself: every link in its Markdown resolves to a file inside it (and to
// a heading there when it names one), no link leaves it, and nothing points at documents that a
// clone does not have.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Tracked files and new ones git does not ignore, as a clone would have them once committed. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => f !== '' && existsSync(join(root, f)));
}

export interface Link {
  line: number;
  target: string;
}

/** Inline links, images, reference definitions and HTML href/src, outside code blocks and code spans. */
export function linksIn(markdown: string): Link[] {
  const links: Link[] = [];
  let fenced = false;
  markdown.split('\n').forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const text = raw.replace(/`[^`]*`/g, '');
    const patterns = [/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g, /\b(?:href|src)="([^"]+)"/g];
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) links.push({ line: i + 1, target: m[1]! });
    }
  });
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** What is wrong with one link of `file` (a path relative to the root), or undefined. */
export function problemWith(file: string, target: string, readText: (path: string) => string | undefined): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'leaves the repository (links stay inside it)';
  if (target.startsWith('//')) return 'leaves the repository (links stay inside it)';
  const [path = '', anchor] = target.split('#', 2);
  const absolute = path === '' ? join(root, file) : resolve(root, dirname(file), decodeURIComponent(path));
  const inside = relative(root, absolute);
  if (inside.startsWith('..') || inside.startsWith(sep)) return 'points outside the repository';
  const text = readText(inside);
  if (text === undefined) return `points to ${inside}, which does not exist`;
  if (anchor && inside.endsWith('.md') && !anchorsOf(text).has(anchor.toLowerCase())) return `names #${anchor}, which is no heading of ${inside}`;
  return undefined;
}

describe('links in the repository', () => {
  const files = repositoryFiles();
  const known = new Set(files);
  const readText = (path: string): string | undefined => {
    const normal = path.split(sep).join('/');
    if (known.has(normal)) return statSync(join(root, normal)).isFile() ? readFileSync(join(root, normal), 'utf8') : '';
    // A folder is a valid target when the repository has files in it.
    return files.some((f) => f.startsWith(`${normal}/`)) ? '' : undefined;
  };

  it('every link in a Markdown file resolves to a file or heading inside the repository', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      for (const { line, target } of linksIn(readFileSync(join(root, file), 'utf8'))) {
        const problem = problemWith(file, target, readText);
        if (problem) broken.push(`${file}:${line} ${target}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('nothing cites documents that a clone of the repository does not have', () => {
    const citing: string[] = [];
    const outside = /\.\.\/shared\/|SPEC(?:\.md)?\s*§|ENGINEERING\.md/;
    for (const file of files.filter((f) => /\.(md|ts|js|mjs|json|yaml|yml|html|css|sh)$/.test(f) && f !== 'scripts/check-links.test.ts')) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((text, i) => {
          if (outside.test(text)) citing.push(`${file}:${i + 1}: ${text.trim().slice(0, 120)}`);
        });
    }
    expect(citing).toEqual([]);
  });
});

describe('the link checker itself', () => {
  const texts: Record<string, string> = { 'docs/a.md': '# Title\n## Two words `here`\n', 'README.md': '# Readme\n' };
  const read = (p: string) => texts[p];

  it('finds links outside code and ignores those inside it', () => {
    const md = 'see [a](docs/a.md) and `[b](nope.md)`\n```\n[c](nope.md)\n```\n[ref]: other.md\n<img src="x.png">';
    expect(linksIn(md).map((l) => l.target)).toEqual(['docs/a.md', 'other.md', 'x.png']);
  });

  it('accepts a file and a heading that exist, relative to the linking file', () => {
    expect(problemWith('docs/b.md', 'a.md#two-words-here', read)).toBeUndefined();
    expect(problemWith('docs/b.md', '../README.md', read)).toBeUndefined();
  });

  it('refuses links that leave the repository, point outside it, or name what does not exist', () => {
    expect(problemWith('README.md', 'https://example.org/', read)).toMatch(/leaves the repository/);
    expect(problemWith('README.md', '../shared/SPEC.md', read)).toMatch(/outside the repository/);
    expect(problemWith('README.md', 'docs/missing.md', read)).toMatch(/does not exist/);
    expect(problemWith('README.md', 'docs/a.md#nowhere', read)).toMatch(/no heading/);
  });
});
