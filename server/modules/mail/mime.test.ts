import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMime, htmlToText, replyReferences } from './mime';
import { fillMerge, mergeValues, salutationOf, surnameOf } from './merge-fields';

describe('outgoing MIME', () => {
  it('encodes a Chinese subject and display name, carries html + text, attachments and reply headers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-mime-'));
    const file = path.join(dir, 'blob');
    fs.writeFileSync(file, Buffer.from('报价明细\n'));
    const built = await buildMime({
      from: { name: '陈经理', address: 'chen@example.test' },
      to: [{ name: '王总', address: 'wang@example.test' }],
      cc: [{ name: null, address: 'li@example.test' }],
      bcc: [{ name: null, address: 'boss@example.test' }],
      subject: '关于报价单的回复',
      html: '<p>王总，您好：</p><p>附件是<b>报价单</b>，请查收。</p>',
      attachments: [{ name: '报价单 2026.txt', mime: 'text/plain', path: file }],
      inReplyTo: '<orig@example.test>',
      references: ['<root@example.test>', '<orig@example.test>'],
    });
    const head = built.raw.toString('latin1').split('\r\n\r\n')[0];
    expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(head).not.toMatch(/^Bcc:/im);
    expect(head).toContain('In-Reply-To: <orig@example.test>');
    expect(built.envelope.to).toEqual(['wang@example.test', 'li@example.test', 'boss@example.test']);
    const parsed = await simpleParser(built.raw);
    expect(parsed.subject).toBe('关于报价单的回复');
    expect(parsed.from?.value[0]).toEqual({ name: '陈经理', address: 'chen@example.test' });
    expect(parsed.html).toContain('<b>报价单</b>');
    expect(parsed.text).toContain('附件是报价单，请查收。');
    expect(parsed.messageId).toBe(built.messageId);
    expect(parsed.references).toEqual(['<root@example.test>', '<orig@example.test>']);
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['报价单 2026.txt', '报价明细\n']]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns HTML into readable text', () => {
    const text = htmlToText(
      '<style>p{color:red}</style><p>第一段&nbsp;文字</p><ul><li>一</li><li>二</li></ul><p><a href="https://x.test/a">链接</a><br>下一行 &lt;b&gt;</p><blockquote><p>原文</p></blockquote><script>alert(1)</script>',
    );
    expect(text).toBe('第一段 文字\n\n- 一\n- 二\n\n链接 (https://x.test/a)\n下一行 <b>\n\n> 原文');
  });

  it('builds References from the original, newest last, each once', () => {
    expect(replyReferences('<a@x> <b@x>', 'c@x')).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(replyReferences(null, '<c@x>')).toEqual(['<c@x>']);
    expect(replyReferences('<a@x>', '<a@x>')).toEqual(['<a@x>']);
  });
});

describe('merge fields', () => {
  it('makes the salutation from name and title', () => {
    expect(salutationOf('陈建国', '销售经理')).toBe('陈经理');
    expect(salutationOf('王小明', '总经理')).toBe('王总');
    expect(salutationOf('李强', '技术总监')).toBe('李总监');
    expect(salutationOf('张伟', '高级工程师')).toBe('张工');
    expect(salutationOf('欧阳娜娜', '采购主管')).toBe('欧阳主管');
    expect(salutationOf('刘芳', '总经理助理')).toBe('刘先生/女士');
    expect(salutationOf('赵敏', null)).toBe('赵先生/女士');
    expect(salutationOf('王总', null)).toBe('王总');
    expect(salutationOf('John Smith', 'CEO')).toBe('John Smith');
    expect(surnameOf('司马光')).toBe('司马');
  });

  it('fills subject as text and body as escaped HTML; unknown fields stay', () => {
    const v = mergeValues({ contactName: '陈建国', title: '经理', companyName: '深圳<星辰>科技', senderName: '小李' });
    expect(fillMerge('{{ salutation }}您好 - {{companyName}} {{unknown}}', v, 'text')).toBe('陈经理您好 - 深圳<星辰>科技 {{unknown}}');
    expect(fillMerge('<p>{{companyName}}：{{senderName}}</p>', v, 'html')).toBe('<p>深圳&lt;星辰&gt;科技：小李</p>');
  });
});
