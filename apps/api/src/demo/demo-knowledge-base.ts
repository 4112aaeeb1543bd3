/**
 * The demo knowledge base seeded on first start: a bilingual e-commerce FAQ list (JSON, the
 * format uploads use) and an after-sales policy document (Markdown) whose return-policy passage
 * answers the seed question 退货期限是多久？ with the extracted span 7天内. No FAQ covers the return
 * window, so that question is answered by the reader from the policy text, with offsets.
 */

export const DEMO_KB = { name: '演示商城 Demo Shop', language: 'mixed' as const };

export const DEMO_FAQS = [
  {
    question: '如何申请退货？',
    alternates: ['怎么退货', '退货流程是什么'],
    answer:
      '请在“我的订单”中找到该商品，点击“申请售后”，选择“退货”并填写原因，审核通过后按页面提示寄回商品。',
    tags: ['售后'],
  },
  {
    question: '寄回商品的运费谁出？',
    alternates: ['退回运费谁承担', '寄回要自己付运费吗'],
    answer: '因个人原因寄回的，运费由买家承担；商品有质量问题的，寄回运费由我们承担。',
    tags: ['售后', '物流'],
  },
  {
    question: '退款多久到账？',
    alternates: ['什么时候退款', '退款什么时候到'],
    answer: '我们收到寄回的商品并验收后，退款会在3至5个工作日内按原支付方式返还。',
    tags: ['售后', '支付'],
  },
  {
    question: '可以换货吗？',
    alternates: ['怎么换货', '尺码不合适能换吗'],
    answer: '商品有质量问题或尺码不合适都可以换货，请在“申请售后”中选择“换货”。',
    tags: ['售后'],
  },
  {
    question: '订单什么时候发货？',
    alternates: ['多久发货', '下单后几天发货'],
    answer: '现货商品在付款后48小时内发货，预售商品以商品页面写明的时间为准。',
    tags: ['物流'],
  },
  {
    question: '快递几天能送到？',
    alternates: ['配送要多久', '发货后多久能收到'],
    answer: '普通快递发货后一般3到5天送达，偏远地区可能需要更长时间。',
    tags: ['物流'],
  },
  {
    question: '运费怎么算？',
    alternates: ['包邮吗', '邮费多少'],
    answer: '订单满99元包邮，未满99元收取10元运费；偏远地区另有说明。',
    tags: ['物流'],
  },
  {
    question: '可以寄到港澳台或海外吗？',
    alternates: ['能寄到香港吗', '支持国际配送吗'],
    answer: '目前只配送中国大陆地区，暂不支持寄往港澳台和海外地址。',
    tags: ['物流'],
  },
  {
    question: '如何查询物流信息？',
    alternates: ['快递到哪了', '怎么查快递'],
    answer: '发货后可在“我的订单”中点击“查看物流”，也可以用快递单号在快递公司官网查询。',
    tags: ['物流'],
  },
  {
    question: '可以修改收货地址吗？',
    alternates: ['地址填错了怎么办', '怎么改地址'],
    answer: '订单发货前可以在订单详情中修改收货地址；已发货的订单请联系快递公司改派。',
    tags: ['物流', '订单'],
  },
  {
    question: '如何开具发票？',
    alternates: ['怎么开发票', '能开发票吗'],
    answer: '下单时在“发票信息”中选择发票类型并填写抬头；下单后也可以在订单详情中申请补开。',
    tags: ['发票'],
  },
  {
    question: '可以开增值税专用发票吗？',
    alternates: ['能开专票吗'],
    answer: '可以。企业用户请在“账户设置—发票管理”中上传营业执照和开票信息，审核通过后即可申请专票。',
    tags: ['发票'],
  },
  {
    question: '支持哪些支付方式？',
    alternates: ['怎么付款', '可以用微信支付吗', '能用信用卡吗'],
    answer: '支持支付宝、微信支付、银联卡和主流信用卡。',
    tags: ['支付'],
  },
  {
    question: '可以货到付款吗？',
    alternates: ['支持货到付款吗'],
    answer: '部分城市支持货到付款，结算页面会显示您的地址是否可以使用。',
    tags: ['支付'],
  },
  {
    question: '付款失败怎么办？',
    alternates: ['支付不成功', '付不了款'],
    answer: '请确认银行卡余额和支付限额，或更换一种支付方式重试；订单会为您保留30分钟。',
    tags: ['支付'],
  },
  {
    question: '商品保修多久？',
    alternates: ['保修期是多长时间', '有保修吗'],
    answer: '电子产品享受一年免费保修，详见售后服务政策中的“保修”部分。',
    tags: ['保修'],
  },
  {
    question: '如何申请保修维修？',
    alternates: ['坏了怎么修', '怎么报修'],
    answer: '请在“申请售后”中选择“维修”，上传故障照片或视频，我们会安排上门取件。',
    tags: ['保修'],
  },
  {
    question: '如何取消订单？',
    alternates: ['怎么取消订单', '不想要了能取消吗'],
    answer: '未发货的订单可以在“我的订单”中直接取消，款项会原路退回。',
    tags: ['订单'],
  },
  {
    question: '优惠券怎么使用？',
    alternates: ['怎么用优惠券', '优惠券在哪里用'],
    answer: '在结算页面的“优惠券”一栏选择可用的优惠券即可，每个订单限用一张。',
    tags: ['优惠'],
  },
  {
    question: '如何联系人工客服？',
    alternates: ['转人工', '人工客服电话是多少'],
    answer: '人工客服服务时间为每天9:00至21:00，电话400-800-1234，也可以在聊天窗口中点击耳机图标“转人工”。',
    tags: ['客服'],
  },
  {
    question: '怎么注册会员？',
    alternates: ['如何成为会员', '会员有什么好处'],
    answer: '用手机号注册即可成为会员，会员可以累计积分并参加会员专享活动。',
    tags: ['账户'],
  },
  {
    question: '忘记密码怎么办？',
    alternates: ['密码忘了', '怎么重置密码'],
    answer: '在登录页面点击“忘记密码”，通过手机验证码即可重置密码。',
    tags: ['账户'],
  },
  {
    question: 'How do I return an item?',
    alternates: ['How can I send something back?', 'What is the return process?'],
    answer:
      'Open "My orders", choose the item, click "Request after-sales service" and select "Return". Once approved, ship the item back as shown on the page.',
    tags: ['after-sales'],
  },
  {
    question: 'Who pays for return shipping?',
    alternates: ['Do I pay to send an item back?', 'Is return shipping free?'],
    answer:
      'If you return an item for a personal reason, you pay to send it back; if the item is faulty, we pay the return shipping.',
    tags: ['after-sales', 'shipping'],
  },
  {
    question: 'When will I get my refund?',
    alternates: ['How long does a refund take?'],
    answer:
      'Once we receive and inspect the item, the refund is paid back to your original payment method within 3 to 5 business days.',
    tags: ['after-sales', 'payments'],
  },
  {
    question: 'Can I exchange an item?',
    alternates: ['How do I exchange an item?', 'Can I swap it for another size?'],
    answer:
      'Yes. Items with a quality problem or in a size that does not fit can be exchanged: open "My orders", click "Request after-sales service" and select "Exchange".',
    tags: ['after-sales'],
  },
  {
    question: 'When will my order ship?',
    alternates: ['How soon do you ship?'],
    answer:
      'In-stock items ship within 48 hours of payment; pre-orders ship on the date shown on the product page.',
    tags: ['shipping'],
  },
  {
    question: 'How long does delivery take?',
    alternates: ['How long does shipping take?', 'When will my package arrive?'],
    answer:
      'Standard delivery usually arrives 3 to 5 days after your order ships; remote areas may need longer.',
    tags: ['shipping'],
  },
  {
    question: 'How much is shipping?',
    alternates: ['Is shipping free?', 'What are the delivery charges?'],
    answer: 'Shipping is free on orders over ¥99. Smaller orders pay a flat ¥10 shipping fee.',
    tags: ['shipping'],
  },
  {
    question: 'Do you ship internationally?',
    alternates: ['Do you ship to Hong Kong?', 'Can you deliver overseas?'],
    answer:
      'We deliver to mainland China only; we cannot ship to Hong Kong, Macao, Taiwan or overseas addresses yet.',
    tags: ['shipping'],
  },
  {
    question: 'How can I track my package?',
    alternates: ['Where is my order?', 'Track my parcel'],
    answer:
      'After shipment, open "My orders" and click "Track package", or use the tracking number on the courier\'s website.',
    tags: ['shipping'],
  },
  {
    question: 'Can I get an invoice?',
    alternates: ['How do I request an invoice?', 'Do you issue VAT invoices?'],
    answer:
      'Yes. Choose the invoice type and title at checkout, or request one later from the order details page. Electronic invoices are emailed to you.',
    tags: ['invoices'],
  },
  {
    question: 'Can I get a special VAT invoice?',
    alternates: ['Do you issue special VAT invoices?', 'How do I get a VAT special invoice for my company?'],
    answer:
      'Yes. Business customers upload their business licence and invoicing details under "Account settings > Invoice management"; once approved, you can request special VAT invoices.',
    tags: ['invoices'],
  },
  {
    question: 'Which payment methods do you accept?',
    alternates: [
      'Can I pay by credit card?',
      'Do you take Alipay or WeChat Pay?',
      'Do you take credit cards?',
    ],
    answer: 'We accept Alipay, WeChat Pay, UnionPay cards and major credit cards.',
    tags: ['payments'],
  },
  {
    question: 'Can I pay cash on delivery?',
    alternates: ['Do you offer cash on delivery?', 'Is COD available?', 'Can I pay when the parcel arrives?'],
    answer:
      'Cash on delivery is available in some cities; the checkout page shows whether you can use it for your address.',
    tags: ['payments'],
  },
  {
    question: 'What should I do if my payment fails?',
    alternates: ["My payment didn't go through", 'My card was declined', "I can't pay for my order"],
    answer:
      'Please check your card balance and payment limit, or try again with another payment method. We hold your order for 30 minutes.',
    tags: ['payments'],
  },
  {
    question: 'What does the warranty cover?',
    alternates: ['Is there a warranty?', 'How long is the warranty?'],
    answer:
      'Electronics come with a one-year free warranty covering manufacturing defects. Accidental damage is not covered.',
    tags: ['warranty'],
  },
  {
    question: 'How do I get an item repaired under warranty?',
    alternates: ['My item is broken, how do I get it fixed?', 'How do I request a repair?'],
    answer:
      'Click "Request after-sales service", select "Repair" and upload photos or a video of the fault; we will arrange a courier to collect the item from you.',
    tags: ['warranty'],
  },
  {
    question: 'How do I cancel my order?',
    alternates: ['Can I cancel an order?'],
    answer:
      'Orders that have not shipped can be cancelled from "My orders"; the payment is returned automatically.',
    tags: ['orders'],
  },
  {
    question: 'How do I use a coupon?',
    alternates: ['Where do I enter a coupon?', 'Can I use more than one coupon?'],
    answer:
      'Choose one of your available coupons in the "Coupons" section at checkout. One coupon per order.',
    tags: ['promotions'],
  },
  {
    question: 'How do I contact a human agent?',
    alternates: ['Talk to a person', 'Customer service phone number'],
    answer:
      'Our agents are available 9:00-21:00 every day at 400-800-1234, or press the headset button ("Talk to a human") in the chat window.',
    tags: ['support'],
  },
  {
    question: 'How do I become a member?',
    alternates: ['How do I register?', 'How do I create an account?', 'What are the membership benefits?'],
    answer:
      'Sign up with your mobile number to become a member. Members collect points and can join members-only promotions.',
    tags: ['account'],
  },
  {
    question: 'I forgot my password. What should I do?',
    alternates: [
      'How do I reset my password?',
      'How do I change my password?',
      "I can't sign in to my account",
    ],
    answer:
      'Click "Forgot password" on the sign-in page and reset it with a verification code sent to your phone.',
    tags: ['account'],
  },
  {
    question: 'Can I change my delivery address?',
    alternates: ['I entered the wrong address'],
    answer:
      'You can change the address in the order details until the order ships. After that, please contact the courier.',
    tags: ['shipping', 'orders'],
  },
];

export const DEMO_POLICY_FILE = 'after-sales-policy.md';

export const DEMO_POLICY_MARKDOWN = `# 售后服务政策

## 退货政策

我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。定制商品、生鲜食品和已激活的数码产品不支持无理由退货。因个人原因退货的，寄回运费由买家承担；商品存在质量问题的，运费由我们承担。

## 换货

商品存在质量问题的，签收后15天内可以申请换货。换货商品寄出后，我们会在收到原商品当天发出新商品。

## 配送

现货商品在付款后48小时内发货。普通快递一般3到5天送达，偏远地区可能需要更长时间。订单满99元包邮，未满99元收取运费10元。

## 发票

我们提供电子普通发票和增值税专用发票。电子发票在确认收货后24小时内发送到您预留的邮箱。

## 支付

支持支付宝、微信支付、银联卡和信用卡付款。订单提交后请在30分钟内完成支付，超时未支付的订单将自动取消。

## 保修

电子产品享受一年免费保修，保修期从签收之日起计算。人为损坏、进水和私自拆机不在保修范围内。

# After-sales policy

## Returns

You may return an item within 7 days of delivery for any reason, as long as it is unused and in its original packaging. Customised items, fresh food and activated electronics cannot be returned without a defect. If you return an item for a personal reason, you pay the return shipping; if the item is faulty, we pay it.

## Exchanges

Items with a quality problem can be exchanged within 15 days of delivery. We send the new item on the day we receive the original one.

## Shipping

In-stock orders ship within 48 hours of payment. Standard delivery usually takes 3 to 5 days. Orders over ¥99 ship free; smaller orders pay ¥10.

## Invoices

We issue electronic general invoices and special VAT invoices. Electronic invoices are emailed within 24 hours after you confirm receipt.

## Payments

We accept Alipay, WeChat Pay, UnionPay and credit cards. Please pay within 30 minutes of placing an order; unpaid orders are cancelled automatically.

## Warranty

Electronics carry a one-year free warranty starting on the delivery date. Accidental damage, liquid damage and unauthorised repairs are not covered.
`;
