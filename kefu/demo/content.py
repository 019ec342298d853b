"""What the demo help desk is made of: people, companies and their requests, in Chinese and English."""

DEPARTMENTS = [
    ("after-sales", "售后服务", "After-sales", "退换货、维修与保修"),
    ("tech-support", "技术支持", "Technical support", "产品安装、故障排查与使用指导"),
    ("billing", "财务", "Billing", "发票、付款与退款"),
]

AGENTS = [
    ("zhang.wei@kefu.local", "张伟", "supervisor", ["after-sales", "tech-support"], "zh-hans"),
    ("wang.fang@kefu.local", "王芳", "agent", ["after-sales"], "zh-hans"),
    ("li.na@kefu.local", "李娜", "agent", ["after-sales"], "zh-hans"),
    ("liu.yang@kefu.local", "刘洋", "agent", ["tech-support"], "zh-hans"),
    ("chen.jing@kefu.local", "陈静", "agent", ["tech-support"], "zh-hans"),
    ("yang.lei@kefu.local", "杨磊", "agent", ["billing"], "zh-hans"),
    ("emily.chen@kefu.local", "Emily Chen", "agent", ["tech-support", "billing"], "en"),
    ("zhao.min@kefu.local", "赵敏", "light_agent", ["after-sales", "tech-support", "billing"], "zh-hans"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_NAMES = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
]
ENGLISH_NAMES = ["Olivia Smith", "James Brown", "Sophia Wilson", "Liam Taylor", "Mia Johnson", "Noah Davies",
                 "Ava Martin", "Lucas White", "Emma Clarke", "Ethan Hall"]  # fmt: skip
ACCOUNT_PREFIXES = ["上海", "北京", "深圳", "杭州", "成都", "广州", "南京", "武汉", "苏州", "西安"]
ACCOUNT_NAMES = [
    "明远科技",
    "华腾贸易",
    "星辰电子",
    "蓝海物流",
    "金桥软件",
    "鼎盛制造",
    "悦享餐饮",
    "云帆教育",
]
INDUSTRIES = ["制造业", "零售", "教育", "物流", "软件", "餐饮", "Healthcare", "Finance"]

PRODUCTS = ["K1 智能打印机", "R5 无线路由器", "Kefu Cloud", "S3 扫码枪", "M2 会员系统"]

# (department code, category, zh subject, zh body, en subject, en body)
REQUESTS = [
    (
        "after-sales",
        "退换货",
        "{product}收到时外壳破损，申请换货",
        "您好，昨天收到的{product}外壳有明显裂纹，包装也有挤压痕迹。请问怎么办理换货？订单号 {order}。",
        "{product} arrived with a cracked case",
        "Hello, the {product} I received yesterday has a cracked case and the box was crushed. "
        "How do I get a replacement? Order {order}.",
    ),
    (
        "after-sales",
        "维修",
        "{product}无法开机，保修期内申请维修",
        "设备使用三个月后突然无法开机，指示灯不亮，已更换电源线仍然不行。",
        "{product} will not power on",
        "After three months the device suddenly stopped powering on. "
        "The light stays off even with another cable.",
    ),
    (
        "after-sales",
        "保修",
        "咨询{product}的保修期限",
        "请问{product}的保修是一年还是两年？发票丢了还能保修吗？",
        "Warranty period for {product}?",
        "Is the warranty for {product} one or two years? Is it still valid without the invoice?",
    ),
    (
        "tech-support",
        "安装",
        "{product}连接不上 Wi-Fi",
        "按照说明书操作后，{product}一直搜索不到公司的无线网络，其他设备都正常。",
        "{product} cannot connect to Wi-Fi",
        "Following the manual, the {product} never finds our office network although other devices do.",
    ),
    (
        "tech-support",
        "故障",
        "{product}打印时出现乱码",
        "打印中文文档时全部变成乱码，英文正常，驱动是最新版本。",
        "Garbled output when printing from {product}",
        "Chinese documents print as garbage while English is fine. The driver is the latest version.",
    ),
    (
        "tech-support",
        "账号",
        "Kefu Cloud 登录提示密码错误",
        "确认密码正确，但一直提示密码错误，已尝试重置仍然无法登录。",
        "Cannot sign in to Kefu Cloud",
        "My password is correct but sign-in keeps failing, even after a reset.",
    ),
    (
        "tech-support",
        "集成",
        "{product}如何对接我们的 ERP 系统",
        "我们使用金蝶 ERP，想把{product}的数据同步过去，有没有接口文档？",
        "Integrating {product} with our ERP",
        "We would like to sync {product} data into our ERP. Is there API documentation?",
    ),
    (
        "billing",
        "发票",
        "申请开具增值税专用发票",
        "订单 {order} 需要开具增值税专用发票，公司抬头和税号如下，请尽快处理。",
        "Request for a VAT invoice",
        "Please issue a VAT invoice for order {order}; our company details are below.",
    ),
    (
        "billing",
        "退款",
        "重复扣款，申请退款",
        "同一笔订单 {order} 被扣款两次，请核实后退回多扣的金额。",
        "Charged twice for order {order}",
        "I was charged twice for order {order}. Please refund the duplicate payment.",
    ),
    (
        "billing",
        "付款",
        "对公转账后订单状态未更新",
        "我们已于三天前对公转账，但订单 {order} 仍显示待付款。",
        "Bank transfer not reflected on order {order}",
        "We paid by bank transfer three days ago but order {order} still shows unpaid.",
    ),
]

AGENT_REPLIES_ZH = [
    "您好，感谢您的反馈。我们已经收到您的问题，正在为您核实，请稍候。",
    "您好，请您提供一下设备背面的序列号和购买凭证照片，方便我们为您处理。",
    "已为您登记，工程师会在 24 小时内与您联系。",
    "问题已处理完毕，如仍有疑问请随时回复本邮件。",
]
AGENT_REPLIES_EN = [
    "Hello, thanks for reaching out. We are looking into this and will get back to you shortly.",
    "Could you send us the serial number on the back of the device and a photo of the receipt?",
    "We have logged your request; an engineer will contact you within 24 hours.",
    "This should now be resolved. Reply to this message if anything is still unclear.",
]
CUSTOMER_FOLLOW_UPS_ZH = [
    "好的，序列号是 SN{serial}，照片见附件。",
    "请问现在处理得怎么样了？",
    "谢谢，问题已经解决了！",
]
CUSTOMER_FOLLOW_UPS_EN = [
    "Sure, the serial number is SN{serial}.",
    "Any update on this?",
    "Thanks, it works now!",
]
INTERNAL_NOTES = [
    "客户是 VIP，请优先处理。",
    "已与仓库确认库存，可以直接换货。",
    "需要技术支持部门协助排查。",
    "Checked the payment gateway logs: the second charge is pending reversal.",
]
