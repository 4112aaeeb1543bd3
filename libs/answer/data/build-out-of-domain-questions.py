"""Rebuilds out-of-domain-questions.json: the bundled negatives for per-knowledge-base threshold calibration.

Samples CLINC150 (CC BY 3.0) and CrossWOZ (Apache-2.0) utterances from ../shared/datasets (or the folder given
as the first argument) with a fixed seed, drops shop topics and small talk, adds the questions written for Wendao
below, and deduplicates against the shop evaluation sets. Run: python3 libs/answer/data/build-out-of-domain-questions.py
Then: npx prettier --write libs/answer/data/out-of-domain-questions.json
"""
import glob
import json
import random
import re
import zipfile

OWN_EN = [
    "Who painted the ceiling of the Sistine Chapel?",
    "What is the boiling point of water at high altitude?",
    "How do I renew my driver's license online in Texas?",
    "Can you explain how compound interest works?",
    "What's the difference between a virus and a bacterium?",
    "How many players are on a rugby union team?",
    "Write a haiku about autumn leaves.",
    "Translate \"good morning\" into Japanese.",
    "What year did the Berlin Wall fall?",
    "How do I set up two-factor authentication on Gmail?",
    "My landlord won't fix the heating, what are my rights?",
    "What's the speed of light in a vacuum?",
    "How do I convert Celsius to Fahrenheit?",
    "Which planet has the most moons?",
    "Book me a table for two at an Italian restaurant tonight.",
    "Can you call me a taxi to the airport?",
    "What's the population of Canada?",
    "Can I get a mortgage with bad credit?",
    "What are the symptoms of iron deficiency?",
    "How do I fix a leaking tap?",
    "Explain the rules of cricket in simple terms.",
    "What's the best programming language for beginners?",
    "How do I make a sourdough starter from scratch?",
    "When does daylight saving time end this year?",
    "Who wrote Pride and Prejudice?",
    "What is the square root of 144?",
    "How long should I boil pasta for?",
    "How do I register to vote?",
    "What does the word serendipity mean?",
    "Which countries use the euro?",
    "How do I get rid of aphids on my roses?",
    "Do I need a visa to visit Japan from the US?",
    "What should I pack for a week in Iceland?",
    "Why is the sky blue?",
    "How many ounces are in a cup?",
    "Summarise the plot of Hamlet.",
    "What's the latest version of Windows?",
    "Is it safe to drink tap water in Mexico City?",
    "How do I file for unemployment benefits?",
    "Can you solve 3x + 7 = 22 for me?",
    "What's the tallest building in the world?",
    "How do vaccines train the immune system?",
    "What's the best time of year to visit Kyoto?",
    "How do I claim on my home insurance after a flood?",
    "What time is kick-off for the Champions League final?",
    "Which history podcasts are worth listening to?",
    "How do I write a resignation letter?",
    "What's the difference between an IRA and a 401(k)?",
    "How much sleep does a teenager need?",
    "What causes the northern lights?",
    "How do I train my puppy to sit?",
    "Find me a cheap flight to Lisbon next month.",
    "What's the chemical formula for table salt?",
    "Who is the current Secretary-General of the United Nations?",
    "How do I open a bank account as a foreign student?",
    "Can you check my essay for grammar mistakes?",
    "How far is the Moon from Earth?",
    "What's a good stretching routine for lower back pain?",
    "Is a tomato a fruit or a vegetable?",
    "How do I set up a Wi-Fi extender?",
    "What's the dress code for a black-tie wedding?",
    "How do I join a local choir?",
    "How many bones are in the human body?",
    "What's the national animal of Scotland?",
    "How do I make my houseplants grow faster?",
    "What's the minimum wage in California?",
    "Who do I call about a broken streetlight?",
    "Can you teach me some basic Spanish phrases?",
    "What's the difference between weather and climate?",
    "How do I calculate my BMI?",
    "Which is the longest river in Africa?",
    "Do I need a licence to fly a drone?",
    "What are the side effects of ibuprofen?",
    "How do I jump-start a motorbike battery?",
    "What language is spoken in Brazil?",
    "How do I make a will without a solicitor?"
]

OWN_ZH = [
    "长城有多长？",
    "勾股定理是怎么证明的？",
    "帮我写一首关于春天的七言绝句",
    "“我想你”用日语怎么说？",
    "成都飞拉萨的航班一天有几班？",
    "感冒了吃什么药好得快？",
    "高血压患者饮食要注意什么？",
    "劳动合同到期不续签有补偿吗？",
    "离婚时财产怎么分割？",
    "医保异地就医怎么报销？",
    "孩子几岁开始学钢琴比较好？",
    "考研英语一和英语二有什么区别？",
    "今年高考作文题目是什么？",
    "下一届世界杯在哪里举办？",
    "姚明有多高？",
    "宫保鸡丁怎么做？",
    "蛋糕烤出来塌了是什么原因？",
    "上证指数今天收盘多少点？",
    "基金定投应该怎么选？",
    "黄金现在多少钱一克？",
    "比特币现在还能买吗？",
    "房产证加名字需要什么材料？",
    "身份证丢了怎么补办？",
    "居住证怎么办理？",
    "小孩打疫苗的时间表是怎样的？",
    "猫咪两天不吃东西怎么办？",
    "Python怎么读取Excel文件？",
    "怎么把PDF转成Word？",
    "Excel怎么做数据透视表？",
    "地球到太阳的距离是多少？",
    "为什么天空是蓝色的？",
    "秦始皇统一六国是哪一年？",
    "《红楼梦》的作者是谁？",
    "鲁迅原名叫什么？",
    "光速是多少？",
    "高原上水的沸点是多少度？",
    "一斤等于多少克？",
    "100美元能换多少人民币？",
    "今年冬天会不会特别冷？",
    "这次台风什么时候登陆？",
    "三亚旅游几月份去最合适？",
    "去日本旅游需要办签证吗？",
    "帮我订一张明天去广州的高铁票",
    "帮我定一个早上七点的闹钟",
    "提醒我下午三点开会",
    "播放一首周杰伦的歌",
    "帮我查一下附近的加油站",
    "附近有什么好吃的火锅店？",
    "公租房怎么申请？",
    "失业了可以申请哪些补贴？",
    "养老保险交满多少年可以领？",
    "增值税和消费税有什么区别？",
    "科目二倒车入库怎么练？",
    "汽车年检需要带什么材料？",
    "新能源车的电池能用几年？",
    "怎么减肥最有效？",
    "每天跑步多少公里合适？",
    "晚上总是失眠怎么办？",
    "怎么练好英语口语？",
    "推荐几本适合初中生看的书",
    "《三体》讲的是什么故事？",
    "最近有什么好看的电视剧？",
    "昨晚的球赛谁赢了？",
    "去年NBA总冠军是哪个队？",
    "围棋棋盘有多少个交叉点？",
    "一年有多少个节气？",
    "清明节有什么习俗？",
    "携号转网怎么办理？",
    "家里宽带断网了找谁修？",
    "燃气费怎么在网上交？",
    "废电池属于什么垃圾？",
    "注册一家公司需要哪些步骤？",
    "商标注册要多长时间？",
    "小微企业贷款利率是多少？",
    "车贷和房贷能同时申请吗？",
    "学区房是怎么划分的？",
    "婚假有几天？",
    "国家规定产假多少天？",
    "周末加班费怎么算？",
    "试用期可以随时辞职吗？",
    "求职简历应该怎么写？",
    "面试时自我介绍说什么好？",
    "多肉植物怎么养？",
    "绿萝叶子发黄怎么办？",
    "被蚊子咬了怎么止痒？",
    "中暑了应该怎么处理？",
    "鸡蛋煮几分钟最好？",
    "红酒开瓶后能放几天？",
    "咖啡喝多了有什么坏处？",
    "怎么预防颈椎病？",
    "帮我算一下345乘以27等于多少",
    "0.1加0.2为什么不等于0.3？",
    "中国有多少个省级行政区？",
    "珠穆朗玛峰有多高？",
    "月亮为什么有阴晴圆缺？",
    "黑洞是怎么形成的？",
    "人工智能会取代人类的工作吗？",
    "怎么用微信给别人转账？",
    "余额宝的收益是怎么算的？",
    "南京有哪些好玩的景点？",
    "西安哪家肉夹馍最好吃？",
    "坐火车可以带充电宝吗？",
    "港澳通行证怎么办理？"
]

import os, sys
HERE=os.path.dirname(os.path.abspath(__file__))
REPO=os.path.abspath(os.path.join(HERE,'..','..','..'))
DS=sys.argv[1] if len(sys.argv)>1 else os.path.join(REPO,'..','shared','datasets')
def norm(s): return re.sub(r'[\W_]+','',s.lower())
shop_q=set()
for p in sorted(glob.glob(os.path.join(REPO,'libs','eval','data','shop','*.json'))):
    d=json.load(open(p))
    for q in d['outOfScope']: shop_q.add(norm(q))
    for x in d['paraphrases']: shop_q.add(norm(x['question']))
    for f in d['faqs']:
        shop_q.add(norm(f['question'])); [shop_q.add(norm(a)) for a in f['alternates']]

# English: CLINC150 (CC BY 3.0)
d=json.load(open(f'{DS}/clinc150/data_full.json'))
dom=json.load(open(f'{DS}/clinc150/domains.json'))
shopword=re.compile(r"\b(return|refund|order|orders|ship|shipping|shipped|deliver|delivery|track|tracking|package|parcel|coupon|discount|promo|points?|reward|rewards|warranty|repair|invoice|receipt|pay|payment|paid|installments?|gift|password|account|privacy|personal information|store|stores|shop|shopping|buy|purchase|price|prices|cost|costs|amazon|customer service|hours|size|sizes|cancel|membership|member|subscription|email|phone|contact|open|close|closing|refunds?|card|cards|exchange|sale|sell|product|products|stock|suit|suits|wear|clothes|clothing|shirt|shirts|dress|jacket|shoes|boots|tent|camping|hiking|bike|skin|makeup|cosmetics?|lotion|cream|sunscreen|free|address)\b|\$", re.I)
rng=random.Random(20261205)
oos=[t for k in ['oos_test','oos_val','oos_train'] for t,_ in d[k]]
oos=[t for t in oos if not shopword.search(t) and len(t.split())>=4]
en_oos=rng.sample(oos,170)
ok_domains=['travel','utility','kitchen_and_dining','auto_and_commute','work','home']
skip_intents={'order','order_status','shopping_list','shopping_list_update','exchange_rate','international_fees'}
by_intent={}
for t,i in d['test']:
    by_intent.setdefault(i,[]).append(t)
en_in=[]
for dm in ok_domains:
    for i in dom[dm]:
        if i in skip_intents: continue
        cand=[t for t in by_intent[i] if not shopword.search(t) and len(t.split())>=4]
        en_in+=rng.sample(cand,min(2,len(cand)))
own_en=OWN_EN

# Chinese: CrossWOZ test (Apache-2.0)
z=json.loads(zipfile.ZipFile(f'{DS}/crosswoz/test.json.zip').read('test.json'))
greet=re.compile(r'^亲?(你好|您好|hi|hello|嗨)[啊呀呢哈]*[！!，,。.~\s]*',re.I)
thanks=re.compile(r'[，,。.！!\s]*(谢谢|多谢|麻烦了|谢谢你|谢谢啦|谢谢了)[！!。.~]*$')
filler=re.compile(r'^(好的|好|嗯嗯|嗯|恩|行|对|太好了|可以|没问题|ok|OK|哦|噢)[，,。.！!\s]+')
# a short reaction to the previous system turn (这么低呀。) or a bare 亲，
reaction=re.compile(r'^(亲[，,]\s*|[^，。！？,.!?]{1,5}[。！!]\s*)')
def clean(s):
    s=s.strip(); s=greet.sub('',s); s=filler.sub('',s); s=reaction.sub('',s); s=thanks.sub('',s); s=s.strip()
    if s and s[-1] not in '？?。！!': s+= '？' if re.search(r'(吗|呢|么|什么|哪|多少|几|怎么|是否)',s) else '。'
    return s
firsts=[]; later=[]
for k in sorted(z):
    us=[m['content'] for m in z[k]['messages'] if m['role']=='usr']
    firsts.append(us[0]); later+=us[1:]
anaphora=re.compile(r'(它|他家|她家|这家|这个|那个|那家|该|上述|刚才|刚刚|这里|那里|此|其|这些|那些|他们|还有|另外|再|也|最后|然后|接着|完了|吃完|玩完|之后|附近的|周边)')
zh_first=[clean(t) for t in firsts]
zh_first=[t for t in zh_first if 10<=len(t)<=60 and not anaphora.search(t) and '谢' not in t]
zh_later=[clean(t) for t in later]
zh_later=[t for t in zh_later if 12<=len(t)<=60 and not anaphora.search(t) and '谢' not in t and '从到' not in t and not re.match(r'^(那|好|嗯|恩|清楚|可以|我记录|明白|知道了|OK|ok)',t) and ('(' in t or '出租车' in t or '地铁' in t)]
def dedupe(xs):
    seen=set(); out=[]
    for x in xs:
        n=norm(x)
        if n in seen or n in shop_q: continue
        seen.add(n); out.append(x)
    return out
zh_first=dedupe(zh_first); zh_later=dedupe(zh_later)
print('zh candidates', len(zh_first), len(zh_later))
zh_src=rng.sample(zh_first,min(150,len(zh_first)))+rng.sample(zh_later,min(100,len(zh_later)))
own_zh=OWN_ZH
zh=dedupe(zh_src+own_zh); en=dedupe(en_oos+en_in+own_en)
print('zh',len(zh_src),len(own_zh),len(zh),'en',len(en_oos),len(en_in),len(own_en),len(en))
out={
 'source': ('English: %d out-of-scope utterances (oos_test/oos_val/oos_train) and %d utterances of non-shop in-scope intents '
            '(travel, utility, kitchen_and_dining, auto_and_commute, work and home domains, 2 per intent from the test split; '
            'the order, shopping-list, exchange-rate and fee intents and the banking, credit_cards, small_talk and meta domains left out) '
            'from CLINC150 data_full.json (clinc/oos-eval @ 828f809), lines naming shop topics (returns, orders, shipping, payment, accounts, stores, prices ...) dropped; '
            'plus %d questions written for Wendao. '
            'Chinese: %d user utterances from CrossWOZ test.json (thu-coai/CrossWOZ @ df82c9f): first turns and self-contained later turns '
            '(named hotel/restaurant/attraction, taxi or metro requests), with leading greetings/fillers and trailing thanks removed; '
            'plus %d questions written for Wendao. Sampled with seed 20261205; no small talk; deduplicated against the shop sets under libs/eval/data/shop.')
            % (len(en_oos), len(en_in), len(own_en), len(zh_src), len(own_zh)),
 'licence': 'CLINC150 utterances: CC BY 3.0 (Larson et al., EMNLP 2019). CrossWOZ utterances: Apache-2.0 (Zhu et al., TACL 2020). Questions written for Wendao: Apache-2.0, as the project.',
 'zh': zh, 'en': en,
}
json.dump(out, open(os.path.join(HERE,'out-of-domain-questions.json'),'w'), ensure_ascii=False, indent=2)
print(len(zh), len(en))
