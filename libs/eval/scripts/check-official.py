#!/usr/bin/env python3
# Cross-check of `wendao eval reader --predictions` against Python ports of the official rules
# (SQuAD evaluate-v1.1.py; CMRC cmrc2018_evaluate.py with the real NLTK word_tokenize, which the
# TypeScript metric approximates). Needs Debian python3-nltk. Usage, from the datasets folder:
#   python3 check-official.py squad_v1.1/dev-v1.1.json preds.json squad   (or ... cmrc for CMRC/DRCD)
# NLTK is called with preserve_line=True: its sentence splitter needs the punkt data, unavailable offline.
import json, re, string, sys
from collections import Counter
from nltk.tokenize import word_tokenize

def squad_norm(s):
    s = s.lower()
    s = ''.join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r'\b(a|an|the)\b', ' ', s)
    return ' '.join(s.split())

def squad_f1(pred, gold):
    p, g = squad_norm(pred).split(), squad_norm(gold).split()
    common = Counter(p) & Counter(g)
    same = sum(common.values())
    if same == 0: return 0
    pr, rc = same / len(p), same / len(g)
    return 2 * pr * rc / (pr + rc)

SP = ['-',':','_','*','^','/','\\','~','`','+','=','，','。','：','？','！','“','”','；','’','《','》','……','·','、','「','」','（','）','－','～','『','』']

def mixed_seg(s, rm_punc=False):
    s = str(s).lower().strip(); out = []; tmp = ''
    for ch in s:
        if rm_punc and ch in SP: continue
        if re.search(r'[\u4e00-\u9fa5]', ch) or ch in SP:
            if tmp: out.extend(word_tokenize(tmp, preserve_line=True)); tmp = ''
            out.append(ch)
        else: tmp += ch
    if tmp: out.extend(word_tokenize(tmp, preserve_line=True))
    return out

def rm_punc(s):
    s = str(s).lower().strip()
    return ''.join(ch for ch in s if ch not in SP)

def lcs(a, b):
    m = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]; best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            if a[i] == b[j]:
                m[i + 1][j + 1] = m[i][j] + 1; best = max(best, m[i + 1][j + 1])
    return best

def cmrc_f1(answers, pred):
    scores = []
    for a in answers:
        asg, psg = mixed_seg(a, True), mixed_seg(pred, True)
        l = lcs(asg, psg)
        if l == 0: scores.append(0); continue
        p, r = l / len(psg), l / len(asg); scores.append(2 * p * r / (p + r))
    return max(scores)

def cmrc_em(answers, pred):
    return int(any(rm_punc(a) == rm_punc(pred) for a in answers))

data_path, pred_path, kind = sys.argv[1:4]
data = json.load(open(data_path))['data']; preds = json.load(open(pred_path))
em = f1 = n = 0
for art in data:
    for para in art['paragraphs']:
        for qa in para['qas']:
            answers = [a['text'] for a in qa['answers'] if a['text'].strip()]
            if not answers: continue
            n += 1; pred = preds.get(str(qa['id']), '')
            if kind == 'squad':
                em += max(int(squad_norm(pred) == squad_norm(g)) for g in answers)
                f1 += max(squad_f1(pred, g) for g in answers)
            else:
                em += cmrc_em(answers, pred); f1 += cmrc_f1(answers, pred)
print(f'{kind} n={n} EM={100*em/n:.4f} F1={100*f1/n:.4f}')
