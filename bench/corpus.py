# ruff: noqa: E501 - a table of sentences reads best one request per line
"""The words the benchmark help desk is made of: Chinese and English requests, replies and notes.

Why a corpus of its own rather than only ``kefu.demo.content``: the demo has ten request templates, so
every search word would match a tenth of all tickets. A realistic ``q`` benchmark needs words of very
different frequencies, from common (无法, "cannot", ~20–30 % of tickets) through medium (打印机, 发票,
a few %) to rare (an order number, one ticket). Products and cities multiply the templates into
thousands of distinct subjects.

Variable tokens (order and serial numbers) are written as ``{order}``/``{serial}``; the seeder fills
them per ticket. They are always surrounded by spaces or punctuation, so each is one search token,
which lets the seeder segment a template once and substitute the numbers (see ``bench.seed``).
"""

from __future__ import annotations

from kefu.demo import content

PRODUCTS = [
    *content.PRODUCTS,
    "L3 标签打印机", "P7 收银机", "T9 考勤机", "X2 投影仪", "C5 监控摄像头", "A1 智能门锁", "D6 行车记录仪",
    "E8 电子秤", "H4 蓝牙耳机", "N2 笔记本电脑", "V5 视频会议终端", "W3 智能手表", "Q1 扫地机器人",
    "F6 空气净化器", "B2 POS 终端",
]  # fmt: skip
CITIES = ["上海", "北京", "深圳", "杭州", "成都", "广州", "南京", "武汉", "苏州", "西安", "重庆", "天津",
          "长沙", "青岛", "厦门", "宁波", "合肥", "郑州", "昆明", "大连"]  # fmt: skip
CITIES_EN = ["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Guangzhou", "Nanjing", "Wuhan", "Suzhou",
             "Xi'an", "Chongqing", "Tianjin", "Changsha", "Qingdao", "Xiamen", "Ningbo", "Hefei", "Zhengzhou",
             "Kunming", "Dalian"]  # fmt: skip

# (department code, category, zh subject, zh body, en subject, en body): the demo's ten plus fourteen more.
REQUESTS: list[tuple[str, str, str, str, str, str]] = [
    *content.REQUESTS,
    ("after-sales", "退换货", "{product}尺寸不合适，申请退货", "我们{city}门店收到的{product}尺寸和页面描述不一致，想办理七天无理由退货，订单 {order}。",
     "Returning {product}: wrong size", "The {product} delivered to our {city} store does not match the listed size. We want to return it, order {order}."),
    ("after-sales", "维修", "{product}屏幕出现花屏", "{city}分公司的{product}使用一周后屏幕出现花屏和闪烁，重启后无法恢复。",
     "{product} screen flickers", "The {product} at our {city} office started flickering after a week and a restart does not help."),
    ("after-sales", "物流", "{product}物流一直没有更新", "订单 {order} 的物流信息三天没有更新，{city}这边还没收到{product}。",
     "No tracking update for order {order}", "Tracking for order {order} has not moved in three days and the {product} has not reached {city}."),
    ("after-sales", "配件", "购买{product}的原装配件", "请问{product}的原装电源适配器和数据线在哪里可以买到？我们在{city}。",
     "Where to buy original parts for {product}", "Where can we buy the original power adapter and cable for the {product}? We are in {city}."),
    ("tech-support", "故障", "{product}频繁死机需要重启", "{product}每天都会死机两三次，只能断电重启，日志里没有报错。",
     "{product} freezes several times a day", "The {product} freezes two or three times a day and only a power cycle helps. Nothing in the log."),
    ("tech-support", "升级", "{product}固件升级失败", "升级{product}固件到最新版本时进度条卡在百分之九十，之后设备无法启动。",
     "Firmware update failed on {product}", "Updating the {product} firmware stalls at 90 percent and the device no longer boots."),
    ("tech-support", "账号", "无法重置 Kefu Cloud 管理员密码", "管理员离职了，我们无法重置 Kefu Cloud 的管理员密码，也收不到验证短信。",
     "Cannot reset the Kefu Cloud admin password", "Our administrator left and we cannot reset the admin password; the verification text never arrives."),
    ("tech-support", "网络", "{product}经常断网", "{city}办公室的{product}每隔半小时就会断网一次，网线和交换机都换过了。",
     "{product} keeps dropping off the network", "The {product} in our {city} office drops off the network every half hour; cable and switch were replaced."),
    ("tech-support", "安装", "{product}驱动安装报错", "在 Windows 11 上安装{product}驱动时提示数字签名无效，无法继续安装。",
     "Driver install error for {product}", "Installing the {product} driver on Windows 11 fails with an invalid digital signature error."),
    ("billing", "发票", "发票抬头开错了，申请重开", "订单 {order} 的发票抬头写错了，需要作废后重新开具，新的抬头是{city}分公司。",
     "Invoice issued to the wrong company", "The invoice for order {order} has the wrong company name; please cancel it and reissue to our {city} branch."),
    ("billing", "退款", "取消订单后退款未到账", "订单 {order} 已经取消一周了，退款一直没有到账，请帮忙查询进度。",
     "Refund not received after cancelling order {order}", "Order {order} was cancelled a week ago and the refund has not arrived. Can you check?"),
    ("billing", "合同", "续签年度服务合同", "{city}分公司的年度服务合同下月到期，请发送续签报价和合同模板。",
     "Renewing the annual service contract", "The annual service contract for our {city} branch ends next month. Please send a renewal quote."),
    ("vip", "大客户", "{city}门店批量采购{product}的报价", "我们计划为{city}的二十家门店采购{product}，请提供批量采购报价和交货周期。",
     "Bulk quote for {product} for {city} stores", "We plan to buy {product} for twenty stores in {city}. Please send a volume quote and lead time."),
    ("vip", "大客户", "专属客户经理对接", "{city}总部希望安排专属客户经理，对接{product}的部署和培训。",
     "Dedicated account manager request", "Our {city} headquarters would like a dedicated account manager for the {product} roll-out and training."),
]  # fmt: skip

DEPARTMENTS = [
    *content.DEPARTMENTS,
    ("vip", "大客户服务", "Key accounts", "大客户采购、部署与专属服务"),
]

AGENT_REPLIES_ZH = [
    *content.AGENT_REPLIES_ZH,
    "您好，我们已经联系{city}的售后网点，会尽快安排上门检测。",
    "请您先尝试恢复出厂设置，如果问题依旧，请回复本邮件告诉我们。",
    "退款已经提交财务审核，预计三到五个工作日原路退回。",
    "发票已重新开具，电子发票会发送到您登记的邮箱。",
]
AGENT_REPLIES_EN = [
    *content.AGENT_REPLIES_EN,
    "We have contacted our service partner in {city}; a technician will visit shortly.",
    "Please try a factory reset first and reply to this message if the problem persists.",
    "The refund has been submitted for approval and should reach you within five working days.",
    "The invoice has been reissued; the electronic copy goes to your registered email address.",
]
FOLLOW_UPS_ZH = [
    "好的，序列号是 SN{serial}，照片见附件。",
    "请问现在处理得怎么样了？",
    "谢谢，问题已经解决了！",
    "恢复出厂设置后还是不行，设备依然无法正常使用。",
    "上门的工程师什么时候到？我们{city}门店周末也营业。",
]
FOLLOW_UPS_EN = [
    "Sure, the serial number is SN{serial}.",
    "Any update on this?",
    "Thanks, it works now!",
    "The factory reset did not help, the device still cannot be used.",
    "When will the technician arrive? Our {city} store is open at weekends too.",
]
INTERNAL_NOTES = [
    *content.INTERNAL_NOTES,
    "{city}网点反馈备件缺货，预计下周到货。",
    "Escalated to the firmware team, see the internal bug tracker.",
]
