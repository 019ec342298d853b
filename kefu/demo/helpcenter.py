"""The demo's help center: the retailer's brand at ``/hc/acme/`` with a knowledge base in both languages.

Loaded through the brand and knowledge-base services, like an administrator's work; matched by the brand's
slug and each article's title, so a second run adds nothing.
"""

from __future__ import annotations

from kefu.core.actors import Actor, Source
from kefu.kb.inputs import ArticleInput, CategoryInput, SectionInput
from kefu.kb.models import Article, Category, Section
from kefu.kb.services import kb_article_create, kb_category_create, kb_section_create
from kefu.org.models import Brand, Department
from kefu.org.services.brands import brand_create

BRAND_SLUG = "acme"

# (category, section, [(title, body)]) per language; the English articles are translations of the Chinese
# ones in the same position.
KNOWLEDGE_BASE = {
    "zh-hans": [
        ("订单与配送", "配送", [
            (
                "订单多久发货？",
                "<p>现货商品在付款后 24 小时内发货，预售商品以商品页写明的日期为准。发货后"
                "可在“我的订单”中查看物流单号。</p>",
            ),
            (
                "如何修改收货地址？",
                "<p>订单发货前，可在“我的订单”中修改收货地址；已发货的订单请联系客服，我们会"
                "协助联系快递改派。</p>",
            ),
        ]),
        ("售后与保修", "退换货与维修", [
            (
                "七天无理由退货怎么申请？",
                "<p>签收后 7 天内、商品完好且配件齐全即可申请。在帮助中心提交工单，选择“售"
                "后服务”，写明订单号和退货原因。</p>",
            ),
            (
                "手机发热严重怎么办？",
                "<p>玩游戏或快充时轻微发热属正常。若待机时也明显发热，请先升级到最新固件并关闭"
                "后台应用；仍然发热请提交工单，我们安排检测或换货。</p>",
            ),
            (
                "打印机无法连接 Wi-Fi",
                "<p>请确认路由器为 2.4 GHz 频段，重启打印机后在面板上重新选择无线网络"
                "。仍无法连接时，可用 USB 连接电脑升级固件。</p>",
            ),
        ]),
        ("账户与发票", "发票", [
            (
                "如何开具增值税发票？",
                "<p>在订单详情中点击“申请发票”，填写单位名称和税号。电子发票会在 3 个工作"
                "日内发送到您的邮箱。</p>",
            ),
        ]),
    ],
    "en": [
        ("Orders and delivery", "Delivery", [
            (
                "When will my order ship?",
                "<p>Items in stock ship within 24 hours of payment; pre-orders ship on the date "
                "shown on the product page. The tracking number appears under My orders once "
                "shipped.</p>",
            ),
            (
                "How do I change the delivery address?",
                "<p>Before the order ships, change the address under My orders. Once shipped, "
                "contact us and we will ask the courier to redirect it.</p>",
            ),
        ]),
        ("After-sales and warranty", "Returns and repairs", [
            (
                "How do I return an item within 7 days?",
                "<p>Within 7 days of delivery, with the item intact and complete, submit a ticket"
                " to After-sales with your order number and the reason.</p>",
            ),
            (
                "My phone gets very hot",
                "<p>Some warmth while gaming or fast charging is normal. If it is hot while idle,"
                " update to the latest firmware and close background apps; if it stays hot, "
                "submit a ticket and we arrange a check or a replacement.</p>",
            ),
            (
                "The printer does not connect to Wi-Fi",
                "<p>Make sure the router offers 2.4 GHz, restart the printer and choose the "
                "network again on its panel. If it still fails, connect it by USB and update the "
                "firmware.</p>",
            ),
        ]),
        ("Account and invoices", "Invoices", [
            (
                "How do I get a VAT invoice?",
                "<p>Open the order and choose Request invoice with your company name and tax "
                "number. The e-invoice reaches your mailbox within 3 working days.</p>",
            ),
        ]),
    ],
}  # fmt: skip


def load_help_center(admin: Actor) -> Brand:
    """The demo brand with its departments, and its knowledge base published in both languages."""
    brand = Brand.objects.filter(slug=BRAND_SLUG).first() or brand_create(
        actor=admin,
        source=Source.IMPORT,
        values={
            "name": "Acme 电子商城",
            "slug": BRAND_SLUG,
            "default_language": "zh-hans",
            "department_ids": list(Department.objects.values_list("pk", flat=True)),
        },
    )
    originals: list[Article] = []
    for language, categories in KNOWLEDGE_BASE.items():
        position = 0
        for category_position, (category_name, section_name, articles) in enumerate(categories):
            category = _category(admin, brand, language, category_name, category_position)
            section = _section(admin, category, section_name)
            for title, body in articles:
                translation_of = originals[position].pk if language != "zh-hans" else None
                article = _article(admin, section, language, title, body, translation_of)
                if language == "zh-hans":
                    originals.append(article)
                position += 1
    return brand


def _category(admin: Actor, brand: Brand, language: str, name: str, position: int) -> Category:
    return Category.objects.filter(brand=brand, language=language, name=name).first() or kb_category_create(
        actor=admin,
        source=Source.IMPORT,
        data=CategoryInput(brand_id=brand.pk, name=name, language=language, position=position),
    )


def _section(admin: Actor, category: Category, name: str) -> Section:
    return Section.objects.filter(category=category, name=name).first() or kb_section_create(
        actor=admin, source=Source.IMPORT, data=SectionInput(category_id=category.pk, name=name)
    )


def _article(
    admin: Actor, section: Section, language: str, title: str, body: str, translation_of: int | None
) -> Article:
    return Article.objects.filter(section=section, title=title).first() or kb_article_create(
        actor=admin,
        source=Source.IMPORT,
        data=ArticleInput(
            section_id=section.pk,
            title=title,
            body=body,
            status="published",
            visibility="public",
            language=language,
            translation_of=translation_of,
        ),
    )
