import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { crossWozPairs, multiWozPairs, readZippedJson } from './woz-followups';

const usr = (content: string, dialog_act: string[][]) => ({ role: 'usr', content, dialog_act });
const sys = (content: string) => ({ role: 'sys', content, dialog_act: [] });

const crossWoz = {
  '1': {
    messages: [
      usr('天坛的电话是多少？', [['Request', '景点', '电话', '']]), // names no entity in its acts
      sys('010-1234'),
      usr('天坛的门票多少钱？', [
        ['Inform', '景点', '名称', '天坛'],
        ['Request', '景点', '门票', ''],
      ]),
      sys('免费。'),
      usr('那地址呢？', [['Request', '景点', '地址', '']]), // follow-up: 天坛 left out
      sys('东城区。'),
      usr('附近有什么酒店？', [['Request', '酒店', '名称', '']]), // not after a named entity
    ],
  },
  '2': {
    messages: [
      usr('我想去全聚德吃饭，评分多少？', [
        ['Inform', '餐馆', '名称', '全聚德'],
        ['Request', '餐馆', '评分', ''],
      ]),
      sys('4.5分。'),
      usr('推荐一家便宜的酒店。', [
        ['Inform', '酒店', '酒店类型', '经济型'],
        ['Request', '酒店', '名称', ''],
      ]), // switch to 酒店
      sys('如家。'),
      usr('如家的电话是多少？', [['Request', '酒店', '电话', '']]), // names 如家 (known from the system act below) in its text
      sys('010-5678'),
    ],
  },
  '3': {
    messages: [
      usr('我要去如家住。', [['Inform', '酒店', '名称', '如家']]),
      sys('好的。'),
      usr('那全聚德呢？', [['Request', '餐馆', '地址', '']]),
    ],
  },
  '4': {
    messages: [
      usr('如家酒店的地址在哪？', [
        ['Inform', '酒店', '名称', '如家酒店'],
        ['Request', '酒店', '地址', ''],
      ]),
      {
        role: 'sys',
        content: '在东城区，附近还有汉庭酒店。',
        dialog_act: [['Inform', '酒店', '名称', '汉庭酒店']],
      },
      // Same domain, no name act, but names an entity the annotations know: not a follow-up.
      usr('汉庭酒店的电话呢？', [['Request', '酒店', '电话', '']]),
    ],
  },
};

const multiWoz = {
  MUL1: {
    log: [
      {
        text: 'Tell me about the Regency Gallery .',
        dialog_act: { 'Attraction-Inform': [['Name', 'regency gallery']] },
      },
      { text: 'It is a museum in the centre .', dialog_act: {} },
      { text: 'What is the postcode ?', dialog_act: { 'Attraction-Request': [['Post', '?']] } },
      { text: 'cb21.', dialog_act: {} },
      {
        text: 'I also need a taxi , when can it pick me up ?',
        dialog_act: { 'Taxi-Request': [['Leave', '?']] },
      },
    ],
  },
  MUL2: {
    log: [
      { text: 'Book me a table at Ali Baba .', dialog_act: { 'Restaurant-Inform': [['Name', 'ali baba']] } },
      { text: 'Done .', dialog_act: {} },
      { text: 'Which trains leave for London ?', dialog_act: { 'Train-Request': [['Leave', '?']] } },
    ],
  },
};

describe('WOZ follow-up pairs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'woz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('CrossWOZ: a same-domain request without the named entity is a follow-up; another domain is a switch', () => {
    const pairs = crossWozPairs(crossWoz);
    expect(pairs.map((p) => [p.id, p.kind, p.entity, p.followUp])).toEqual([
      ['1#2', 'follow_up', '天坛', '那地址呢？'],
      ['2#1', 'switch', '全聚德', '推荐一家便宜的酒店。'],
      ['3#1', 'switch', '如家', '那全聚德呢？'],
    ]);
    expect(pairs[0]).toMatchObject({
      language: 'zh',
      domain: '景点',
      previous: '天坛的门票多少钱？',
      reply: '免费。',
    });
  });

  it('MultiWOZ: user turns are the even log entries; names match in squashed form', () => {
    const pairs = multiWozPairs(multiWoz);
    expect(pairs.map((p) => [p.id, p.kind, p.entity, p.domain, p.followUpDomain])).toEqual([
      ['MUL1#1', 'follow_up', 'regency gallery', 'attraction', 'attraction'],
      ['MUL2#1', 'switch', 'ali baba', 'restaurant', 'train'],
    ]);
    expect(pairs[0].reply).toBe('It is a museum in the centre .');
  });

  it('reads the JSON inside a dataset zip and refuses a zip without it', async () => {
    const zip = new JSZip();
    zip.file('test.json', JSON.stringify(multiWoz));
    const good = join(dir, 'good.zip');
    writeFileSync(good, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    expect(multiWozPairs(await readZippedJson(good))).toHaveLength(2);

    const other = new JSZip();
    other.file('train.json', '{}');
    const bad = join(dir, 'bad.zip');
    writeFileSync(bad, await other.generateAsync({ type: 'nodebuffer' }));
    await expect(readZippedJson(bad)).rejects.toThrow(/no test\.json inside/);
  });
});
