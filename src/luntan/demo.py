"""The demo community that `luntan serve` creates on first start.

Everything is written through the services, the same way a member's post or
an operator's edit would be, so the counters, paths and day statistics come
out exactly as the running site keeps them. All text is made here from the
phrase pools below with a fixed seed: the same community every time, only
shifted to end at the moment it is built.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from luntan.accounts.models import User
from luntan.accounts.services import grant_operator, register, set_tip_links
from luntan.columns import services as columns
from luntan.forum import services as forum
from luntan.forum.models import Board, Post
from luntan.messages import services as messages
from luntan.moderation import moderators
from luntan.stats.services import seed_views
from luntan.web.services import save_site_page
from luntan.zh.script import to_traditional
from luntan.zh.skeleton import skeleton

DEMO_PASSWORD = "luntan-demo-2026"
SEED = 2026
SPREAD_DAYS = 3 * 365  # how far back the demo's history reaches


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    traditional: bool = False  # writes every post in Traditional Chinese
    boards: tuple[str, ...] = ()  # slugs of the boards this member frequents


@dataclass(frozen=True)
class DemoBoard:
    slug: str
    name: str
    description: str
    moderators: tuple[str, ...]
    slots: dict
    topics: tuple[tuple[str, str], ...]  # (title, opening sentence)
    reposts: tuple[tuple[str, str], ...]
    outlets: tuple[str, ...]  # invented publications that reposts name as their source
    sentences: tuple[str, ...]
    list_items: tuple[str, ...]
    quotes: tuple[str, ...]
    reply_titles: tuple[str, ...]


OPERATOR = "站务老王"

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(OPERATOR, "站务，管理全站，可进入 /admin/"),
    DemoAccount("股海沉浮", "版主：股市财经", boards=("finance", "politics")),
    DemoAccount("静水流深", "版主：股市财经", boards=("finance", "culture")),
    DemoAccount("观澜听涛", "版主：时政要闻", boards=("politics", "finance")),
    DemoAccount("墨香书斋", "版主：文化艺术", boards=("culture", "life")),
    DemoAccount("香江過客", "版主：文化艺术，用繁体字发帖", True, ("culture", "finance", "overseas")),
    DemoAccount("硅谷码农", "版主：科技前沿", boards=("tech", "overseas")),
    DemoAccount("柴米油盐", "版主：生活百态", boards=("life", "culture")),
    DemoAccount("溫哥華老陳", "版主：海外华人，用繁体字发帖", True, ("overseas", "life")),
    DemoAccount("枫叶国游子", "版主：海外华人", boards=("overseas", "politics")),
    DemoAccount("小桥流水", "会员", boards=("life", "culture")),
    DemoAccount("北漂十年", "会员", boards=("life", "politics", "tech")),
    DemoAccount("江南烟雨", "会员", boards=("culture", "life")),
    DemoAccount("价值投资者", "会员，屏蔽了追风少年的悄悄话", boards=("finance",)),
    DemoAccount("半杯咖啡", "会员", boards=("tech", "life")),
    DemoAccount("台北阿明", "会员，用繁体字发帖", True, ("tech", "culture", "politics")),
    DemoAccount("闲云野鹤", "会员", boards=("culture", "politics", "overseas")),
    DemoAccount("理工男", "会员", boards=("tech", "finance")),
    DemoAccount("追风少年", "会员", boards=("finance", "tech")),
    DemoAccount("山城老李", "会员", boards=("politics", "life")),
)


def account_lines() -> list[str]:
    """The demo accounts, one line each, as printed on first start (and again later)."""
    return [f"演示账户：用户名 {a.username} 密码 {DEMO_PASSWORD}（{a.role}）" for a in DEMO_ACCOUNTS]


# --- the boards and what is said on them ---------------------------------------

BOARDS: tuple[DemoBoard, ...] = (
    DemoBoard(
        slug="finance",
        name="股市财经",
        description="谈股论金，交流投资理财心得。理性讨论，盈亏自负，不荐股、不带单。",
        moderators=("股海沉浮", "静水流深"),
        slots={
            "sector": ("新能源", "半导体", "白酒", "银行", "医药", "券商", "光伏", "军工", "消费电子", "有色金属"),
            "n": range(3, 10),
            "years": range(3, 16),
            "pct": range(5, 46),
            "question": (
                "指数基金和主动基金到底怎么选？", "止损线一般设在多少合适？", "融资融券的风险到底有多大？",
                "市盈率多少才算便宜？", "分红是不是越高越好？",
            ),
        },
        topics=(
            ("{sector}板块连涨{n}天，现在还能追吗？", "{sector}这波行情来得很突然，连着涨了{n}天，论坛里一片欢呼，我反倒有点心虚。"),
            ("炒股{years}年，说说我踩过的坑", "入市{years}年，赚过也亏过，今天把踩过的坑整理一下，给新来的朋友提个醒。"),
            ("定投指数基金第{years}年，晒一下收益", "从{years}年前开始每月定投宽基指数，中间经历了两轮大跌，今天算了一下总账。"),
            ("{sector}龙头业绩预告：净利润增长{pct}%", "昨晚{sector}龙头发了业绩预告，净利润同比增长{pct}%，比市场预期略好。"),
            ("新手请教：{question}", "刚开户不到半年，有个问题一直没搞明白：{question}"),
            ("今天又割肉了，说说心态", "今天终于忍不住把{sector}那只票割了，亏了{pct}%左右，心里挺不是滋味。"),
            ("房贷是提前还，还是留着理财？", "手里攒了一笔钱，家里为提前还房贷还是留着理财争了好几次。"),
            ("金价又创新高，现在上车晚不晚", "金价这几个月一路往上走，身边好几个朋友都在问要不要买点金条。"),
            ("记录一下：本月账户回撤{pct}%", "给自己留个记录：这个月账户回撤了{pct}%，主要亏在{sector}上。"),
            ("价值投资在A股到底行不行得通？", "经常看到有人说价值投资在A股行不通，我想认真讨论一下这个问题。"),
            ("聊聊高股息策略", "利率越来越低，我这两年把一部分仓位换成了高股息的品种，说说体会。"),
            ("降准落地，股市楼市会怎么走", "降准的消息终于落地了，想听听大家对后面股市和楼市的看法。"),
            ("养老账户里该买点什么", "开了个人养老金账户，每年存满上限，但一直不知道里面该买什么。"),
            ("{sector}现在的估值到底贵不贵", "最近讨论{sector}的人很多，有人说贵，有人说还便宜，我查了一下历史数据。"),
            ("可转债打新还值得做吗", "以前可转债打新几乎稳赚，今年已经破发好几只了，还值得参与吗？"),
            ("盘后闲聊：今天{sector}为什么跳水", "尾盘半小时{sector}突然跳水，成交量放大，不知道是什么消息。"),
            ("给刚工作的年轻人一点理财建议", "经常有刚工作的小朋友问我怎么理财，干脆写个帖子统一回答。"),
            ("老股民的{n}条铁律", "炒股这么多年，总结出{n}条铁律，条条都是真金白银换来的。"),
        ),
        reposts=(
            ("{sector}行业年度观察：扩产放缓，龙头集中度提升", "文章认为，{sector}行业今年的扩产明显放缓，头部企业的市场份额继续提升。"),
            ("评论：居民存款为何持续增加", "评论分析了近几年居民存款持续增加的原因，认为预防性储蓄是主要因素。"),
            ("季度基金持仓变化：{sector}获明显增持", "根据各家基金公布的季度报告，{sector}板块在本季度获得了明显增持。"),
        ),
        outlets=("青桐财经周刊", "云帆日报", "鹿鸣时报"),
        sentences=(
            "说实话，我入市这么多年，最大的教训就是不要满仓，更不要借钱炒股。",
            "市场短期看情绪，长期看业绩，这句话越往后越有体会。",
            "很多人只看涨幅不看估值，一旦回调就会很被动。",
            "我的做法是每个月固定投一笔，跌了多买一点，涨了少买一点。",
            "仓位管理比选股重要，这一点新手往往体会不到。",
            "消息面的利好，往往在公告之前就已经被消化得差不多了。",
            "建议先把半年的生活费留出来，剩下的钱再考虑投资。",
            "分红再投资看起来很慢，但时间一拉长，复利会说话。",
            "别人恐慌的时候敢买，说起来容易，真到那一刻手是会抖的。",
            "这次回调幅度不算大，我倾向于认为是正常的技术调整。",
            "如果利率继续往下走，高股息的品种会越来越受欢迎。",
            "成交量没有跟上，这波上涨能走多远，我是存疑的。",
            "我不建议天天盯盘，看多了反而容易乱操作。",
            "年报里的现金流量表，比利润表更能说明问题。",
            "手里的{sector}已经拿了两年，中间坐过好几次过山车。",
            "账户里的数字每天在跳，但日子还得照常过。",
        ),
        list_items=(
            "仓位：单只股票不超过总资产的两成",
            "止损：设好止损线，到了就执行，不找借口",
            "不碰看不懂的公司，不听小道消息",
            "少看盘，多看年报和公告",
            "留足半年的生活费再入市",
            "不借钱，不加杠杆",
            "每季度复盘一次，把买卖的理由写下来",
            "股票、债券、现金各占一部分，别把鸡蛋放在一个篮子里",
        ),
        quotes=(
            "慢慢变富，才是最快的路。",
            "看不懂的钱不赚，睡不着的仓不留。",
            "行情总会回来，本金没了就真没了。",
            "会买的是徒弟，会卖的才是师傅。",
        ),
        reply_titles=(
            "别急着抄底，等企稳再说", "长期看好，继续拿着", "估值已经不便宜了", "今天又绿了", "仓位控制最重要",
            "割肉容易回本难", "我也在定投，握个手", "高位站岗中……", "消息早就出来了", "楼主心态不错",
        ),
    ),
    DemoBoard(
        slug="politics",
        name="时政要闻",
        description="时事新闻与评论。就事论事，对事不对人，拒绝人身攻击和谣言。",
        moderators=("观澜听涛",),
        slots={
            "city": ("某沿海城市", "南方一座省会城市", "北方某地级市", "西部某县城", "一座中部大城市"),
            "policy": (
                "公交地铁对七十岁以上老人免费", "新建小区必须配建托育点", "共享单车停放实行电子围栏",
                "夜市街区延长营业到凌晨两点", "生活垃圾分类罚款标准上调",
            ),
        },
        topics=(
            ("延迟退休方案，大家怎么看", "延迟退休的讨论又热起来了，我身边不同年龄段的人看法差别很大。"),
            ("{city}出台新规：{policy}", "{city}最近出台新规：{policy}。消息一出，本地论坛吵翻了天。"),
            ("个税专项附加扣除又有调整", "今年个税的专项附加扣除又有调整，养老、育儿几项的额度都提高了。"),
            ("老旧小区改造，钱从哪里来", "我们小区列入了老旧小区改造名单，加装电梯的费用怎么分摊成了大难题。"),
            ("地方财政吃紧，公共服务怎么保障", "不少地方财政收入下滑，公交、环卫这些公共服务会不会受影响？"),
            ("贸易摩擦对普通人有什么影响", "新闻里天天讲关税和贸易摩擦，落到普通人身上，到底影响在哪里？"),
            ("出生率走低，鼓励生育的政策有用吗", "各地陆续出台鼓励生育的补贴政策，但年轻人似乎并不买账。"),
            ("{city}取消限购，房价会怎么走", "{city}正式取消了住房限购，中介说咨询量翻了一倍。"),
            ("基层医疗改革的得与失", "家里老人在社区医院看病，这几年的变化我都看在眼里，说说感受。"),
            ("外卖骑手的社保该由谁来交", "外卖骑手的社保问题讨论了好几年，平台、骑手和政府各有各的难处。"),
            ("县城的年轻人都去哪儿了", "回老家过年，发现县城里几乎看不到年轻人，只剩老人和孩子。"),
            ("气候大会落幕，减排承诺能兑现多少", "又一届气候大会落幕了，各国的减排承诺写得很漂亮，关键看落实。"),
            ("教育减负这些年，效果如何", "教育减负喊了很多年，作为家长，我的真实感受是负担换了个地方。"),
            ("公务员报考人数又创新高", "今年公务员报考人数又创了新高，热门岗位的竞争比例高得吓人。"),
            ("暴雨过后，说说城市排水", "这次暴雨暴露出不少城市排水的短板，想和大家聊聊怎么补上。"),
            ("数字人民币试点，你用过吗", "所在城市成了数字人民币试点，我用了一个月，说说体验。"),
        ),
        reposts=(
            ("评论：城市治理要多算民生账", "评论文章认为，城市治理不能只看短期的财政收支，更要算长远的民生账。"),
            ("观察：县域经济的新出路", "文章走访了几个中部县城，记录了当地在特色农业和物流上的尝试。"),
            ("社论：让政策解释走在执行前面", "社论指出，新政出台时把来龙去脉讲清楚，比事后辟谣有效得多。"),
        ),
        outlets=("鹿鸣时报", "远山观察网", "云帆日报"),
        sentences=(
            "政策的出发点是好的，关键还是看执行，以及配套措施能不能跟上。",
            "说到底，这既是一本财政账，也是一本民生账。",
            "我身边的年轻人普遍觉得压力很大，这不是一两项政策能解决的。",
            "希望决策之前多听听基层的声音，多做几轮试点。",
            "任何改革都会有受益的人和受损的人，关键是怎么照顾后者。",
            "从别国的经验看，这类改革通常需要十年以上的过渡期。",
            "媒体报道往往只讲一面，大家还是要多看几方的说法。",
            "就事论事，这件事对普通家庭的影响其实没有传说中那么大。",
            "数据会说话，但也要看数据是怎么统计出来的。",
            "讨论归讨论，希望大家不要互相扣帽子。",
            "老百姓关心的，无非是看病、上学、养老和住房这几件事。",
            "政策透明一点，解释清楚一点，很多误解就不会有了。",
            "我不反对改革，只希望节奏慢一点，给大家留出适应的时间。",
        ),
        list_items=(
            "资金来源要公开透明",
            "先试点，再推广",
            "给受影响的人群留出过渡期",
            "定期公布执行效果，接受监督",
            "多听取居民和企业的意见",
        ),
        quotes=(
            "民生无小事。",
            "好的政策，是让人感觉不到政策的存在。",
            "说清楚，比说得漂亮更重要。",
        ),
        reply_titles=(
            "就事论事", "执行是关键", "楼主想得太简单了", "希望能落到实处", "支持先试点",
            "这个说法有待商榷", "数据从哪里来的？", "基层确实不容易",
        ),
    ),
    DemoBoard(
        slug="culture",
        name="文化艺术",
        description="读书、电影、音乐、书画与诗词。以文会友，分享你喜欢的一切美好事物。",
        moderators=("墨香书斋", "香江過客"),
        slots={
            "book": ("红楼梦", "围城", "平凡的世界", "边城", "骆驼祥子", "城南旧事", "呐喊", "儒林外史"),
            "exhibit": ("青铜器特展", "宋代瓷器展", "敦煌壁画数字展", "明清家具展", "近代书信手稿展"),
            "n": range(5, 31),
            "years": range(2, 13),
        },
        topics=(
            ("重读《{book}》，有了新的体会", "二十年前读《{book}》只记住了故事，最近重读，才读出了作者的用心。"),
            ("今年读完的{n}本书，简单点评", "今年读书比往年多，一共读完了{n}本，挑几本简单说说。"),
            ("推荐几部冷门但好看的老电影", "周末在家翻出几部老电影，节奏慢，但后劲很足，推荐给大家。"),
            ("学书法第{years}年，晒晒最近的习作", "练字已经{years}年了，最近在临楷书，说说心得，也请大家指正。"),
            ("宋词里最打动你的是哪一首", "昨晚睡前翻宋词，忽然想问问大家，哪一首最打动你？"),
            ("看展归来：{exhibit}", "周末去博物馆看了{exhibit}，排了一个小时的队，但很值。"),
            ("小时候听的评书和广播剧，你还记得吗", "收拾旧物翻出一台老收音机，一下子想起小时候守着听评书的日子。"),
            ("年轻人还读诗吗？", "在地铁上看到一个年轻人捧着诗集，忽然很感动，想问问大家还读诗吗。"),
            ("古琴入门半年，说说感受", "去年冬天开始学古琴，半年下来，手指疼过，也想放弃过。"),
            ("翻译腔算不算好中文", "最近读了几本译作，句子长得喘不过气，想和大家聊聊翻译腔。"),
            ("方言正在消失，我们能做点什么", "侄子已经完全不会说家乡话了，家里老人听了很失落。"),
            ("读书笔记：《{book}》", "把读《{book}》时做的笔记整理了一下，贴在这里，也算督促自己。"),
            ("话剧和电影，你更喜欢哪个", "第一次去剧场看话剧，演员就在眼前，那种感觉是电影给不了的。"),
            ("老城区的旧书店又关了一家", "常去的那家旧书店月底就要关门了，老板说房租涨得扛不住。"),
            ("国画入门：从画竹子开始", "报了个周末国画班，老师说先画竹子，画了一个月还是像芦苇。"),
            ("聊聊你心中最好的武侠小说", "重温了一遍小时候看的武侠小说，发现很多情节现在读来依然热血。"),
        ),
        reposts=(
            ("访谈：一位古籍修复师的三十年", "访谈记录了一位古籍修复师三十年的工作，从选纸、调浆到补洞，每一步都要极其耐心。"),
            ("书评：在小城故事里看见时代", "书评认为，这部小说用一座小城的变迁，折射出一个时代的变化。"),
        ),
        outlets=("南窗文艺周刊", "鹿鸣时报"),
        sentences=(
            "年轻时读只觉得故事热闹，现在再读，才看出字里行间的无奈。",
            "好的文字是有呼吸感的，读起来不累，也不着急。",
            "这次看展最大的感受是，古人的审美一点也不比我们差。",
            "练字最难的不是笔画，而是每天坚持写上半小时。",
            "电影节奏很慢，但越到后面越有味道，适合找个安静的晚上看。",
            "读书不必追求数量，能真正读进去一本就很好。",
            "短视频太多了，能静下心看完一部长篇的人越来越少。",
            "方言里有很多普通话说不出来的味道，丢了很可惜。",
            "书里有一段话让我想了很久，大意是人这一生总要学会和自己和解。",
            "艺术这东西，看多了自然会有感觉，不必急着看懂。",
            "老师说，心静了，笔下自然就稳了。",
            "我会在书页边上写批注，过几年再看，像在和当年的自己对话。",
            "经典之所以是经典，是因为每个年纪读都会有不同的收获。",
        ),
        list_items=(
            "《{book}》：适合慢慢读，每次读都有新发现",
            "先读原著，再看改编",
            "每天读二十页，一年下来也很可观",
            "准备一个本子，随手记下喜欢的句子",
            "看展前先做点功课，收获会大很多",
            "临帖要专一，不要今天这家明天那家",
        ),
        quotes=(
            "读书如饮茶，初尝微苦，回味才甘。",
            "字是一笔一笔写出来的，日子也是。",
            "山高水长，慢慢来。",
        ),
        reply_titles=(
            "同爱这本书", "求推荐书单", "写得真好", "这部电影我也看过", "很有功底",
            "已加入书单", "说到心坎里了", "想去看这个展",
        ),
    ),
    DemoBoard(
        slug="tech",
        name="科技前沿",
        description="人工智能、芯片、互联网、电动车与一切新技术。欢迎实测、教程和踩坑记录。",
        moderators=("硅谷码农",),
        slots={
            "chip": ("手机", "服务器", "显卡", "车载"),
            "lang": ("Rust", "Go", "Python", "C++", "Java"),
            "n": range(3, 16),
        },
        topics=(
            ("大模型写代码，能替代多少程序员", "这半年在工作里大量用大模型写代码，说说真实体验。"),
            ("折腾了一周家用NAS，分享配置", "家里照片和文件越来越多，索性自己组了一台NAS，折腾了整整一周。"),
            ("国产{chip}芯片实测，性能如何", "入手了一台搭载国产{chip}芯片的设备，跑了几天，说说实际表现。"),
            ("{lang}现在还值得学吗？", "公司新项目要用{lang}，组里有人支持有人反对，想听听大家的意见。"),
            ("电动车开了{n}万公里，说说真实感受", "电动车已经开了{n}万公里，从最初的里程焦虑到现在，说说感受。"),
            ("智能家居踩坑记录", "装修时一口气上了全套智能家居，一年下来踩了不少坑。"),
            ("AI生成的图片越来越难分辨了", "今天看到一张照片，转了好几手，最后才发现是AI生成的。"),
            ("你的手机知道你多少事", "心血来潮翻了一遍手机的隐私设置，发现很多应用拿的权限远超需要。"),
            ("量子计算离我们还有多远", "看到新闻说量子计算又有突破，想请懂行的朋友科普一下。"),
            ("程序员三十五岁危机是真的吗", "今年刚好三十五岁，身边已经有同事被优化了，心里有点慌。"),
            ("自己搭了个论坛，用SQLite扛住了", "给兴趣小组搭了个小论坛，本来担心SQLite扛不住，结果出乎意料。"),
            ("开源项目维护者的辛酸", "业余维护一个开源库好几年了，今天想吐吐槽。"),
            ("机械键盘入坑指南", "入坑机械键盘三年，轴体、键帽、客制化都玩过，写个简单指南。"),
            ("家里宽带升级千兆，值不值", "运营商打电话推销千兆宽带，一个月多几十块，犹豫要不要升级。"),
            ("旧手机别扔，改成家庭服务器", "抽屉里有几台旧手机，刷了系统之后当家庭服务器用，效果不错。"),
            ("卫星互联网会改变什么", "卫星互联网这两年发展很快，偏远地区上网的问题会不会就此解决？"),
        ),
        reposts=(
            ("报告：家用储能进入快速增长期", "报告称，随着电池成本下降，家用储能设备的销量在过去一年翻了一番。"),
            ("评论：别让算法替你做所有决定", "评论指出，推荐算法带来便利的同时，也在不知不觉中收窄人们的视野。"),
        ),
        outlets=("星桥科技评论", "云帆日报"),
        sentences=(
            "我的体验是，样板代码它写得很快，但业务逻辑还是得人来把关。",
            "技术本身是中性的，关键看怎么用、谁来用。",
            "硬件这几年进步很快，但软件生态才是真正的门槛。",
            "说个冷知识，大部分网站的瓶颈在数据库，而不是在CPU。",
            "新人还是先把基础打牢，语言和框架都是会变的。",
            "续航比宣传的差一些，冬天大概要打个八折。",
            "隐私设置藏得很深，很多人根本不会去看。",
            "别迷信跑分，日常用起来流畅才是真的。",
            "开源不是免费劳动，用的人多了，维护者的压力也很大。",
            "数据一定要多备份，硬盘坏的时候是不会提前打招呼的。",
            "新技术刚出来的时候总会被高估，过几年又会被低估。",
            "能用简单方案解决的问题，就不要上复杂架构。",
            "我会先在旧设备上试，确认没问题再迁移正式数据。",
        ),
        list_items=(
            "先想清楚需求，再选设备",
            "重要数据至少保留两份备份",
            "定期更新系统和固件",
            "不用的权限一律关掉",
            "写好文档，半年后的自己会感谢你",
            "监控和日志先配好，出了问题才好查",
        ),
        quotes=(
            "能跑起来的代码，比完美的设计更有价值。",
            "备份不是目的，能恢复才是。",
            "工具是为人服务的，别让人为工具服务。",
        ),
        reply_titles=(
            "实测数据呢？", "同踩过这个坑", "关注一下", "有没有开源方案推荐", "楼主大神",
            "这个配置不错", "备份真的很重要", "我的体验正好相反",
        ),
    ),
    DemoBoard(
        slug="life",
        name="生活百态",
        description="柴米油盐，家长里短，职场、健康与美食。说说你身边的故事。",
        moderators=("柴米油盐",),
        slots={
            "dish": ("红烧肉", "糖醋排骨", "手工饺子", "葱油拌面", "酸菜鱼", "蛋黄酥", "可乐鸡翅"),
            "years": range(3, 16),
            "n": range(3, 19),
            "kg": range(6, 31),
        },
        topics=(
            ("周末在家做了{dish}，一次成功", "周末在家照着视频做了{dish}，没想到第一次就成功了，全家吃得精光。"),
            ("北漂{years}年，决定回老家了", "在北京待了{years}年，上个月终于下定决心，年底回老家。"),
            ("孩子上小学后，家长群比上班还累", "孩子上了一年级，我才知道家长群有多可怕。"),
            ("中年人的体检报告，你敢看吗", "公司组织体检，报告出来，上面的箭头比去年多了好几个。"),
            ("晒晒我家阳台的小菜园", "阳台不大，种了番茄、辣椒和小葱，收成居然还不错。"),
            ("和父母住在一起，是福还是累", "父母搬来和我们一起住快一年了，有温暖，也有摩擦。"),
            ("坚持跑步{n}个月，体重掉了{kg}斤", "去年春天开始跑步，坚持了{n}个月，体重掉了{kg}斤。"),
            ("租房遇到奇葩房东，大家帮我评评理", "租的房子热水器坏了，房东让我自己修，退租时押金还想扣一半。"),
            ("今天地铁上看到暖心一幕", "早高峰的地铁上，一个小伙子给抱孩子的阿姨让座，还帮着拎包。"),
            ("三十岁了，要不要换个行业", "做了七年销售，越来越没劲，想转行但又怕从头再来。"),
            ("老家的年味越来越淡了", "小时候过年要忙活一个月，现在年夜饭都在饭店订。"),
            ("降温了，分享几道暖身汤", "这几天突然降温，分享几道家里常做的汤，简单又暖和。"),
            ("第一次养猫，求老手指点", "上周从朋友家接了一只小橘猫，完全没有经验，手忙脚乱。"),
            ("断舍离一个月，家里清爽多了", "跟风搞了一个月断舍离，扔了三大箱东西，心情也跟着轻松了。"),
            ("通勤两小时，还要坚持吗", "为了孩子上学换了房子，现在每天通勤两小时，人快熬不住了。"),
            ("退休第一年，我在忙什么", "退休一年了，原以为会闲得发慌，结果比上班还忙。"),
        ),
        reposts=(
            ("调查：年轻人为什么爱上了逛菜市场", "调查发现，越来越多的年轻人周末选择去菜市场，既为了买菜，也为了那份热闹。"),
            ("医生提醒：换季时节注意这几件事", "文章提醒，换季时早晚温差大，老人和孩子要注意保暖、规律作息。"),
        ),
        outlets=("滨湖生活报", "云帆日报"),
        sentences=(
            "做法其实不难，关键是火候，小火慢炖一个小时，味道完全不一样。",
            "说出来不怕大家笑话，第一次做的时候差点把锅烧糊了。",
            "生活就是这样，有烦心事，也有小确幸。",
            "父母年纪大了，能多陪一天是一天。",
            "跑步最难的是出门那一刻，跑起来就好了。",
            "体检报告上的箭头越来越多，真的要开始注意了。",
            "我的建议是先和对方好好沟通，实在不行再找中介或者走法律程序。",
            "这个年纪换行业，勇气比能力更重要。",
            "小时候盼过年，现在怕过年，大概这就是长大吧。",
            "日子是过给自己的，不用太在意别人怎么看。",
            "家里的事没有标准答案，互相体谅最重要。",
            "早睡早起、少吃外卖，这些道理谁都懂，做到很难。",
            "城市再大，总有一盏灯是为你亮的。",
        ),
        list_items=(
            "五花肉先焯水，再小火煸出油",
            "每天固定时间运动，哪怕只有二十分钟",
            "体检报告拿给医生看，不要自己吓自己",
            "签租房合同前，拍照记录房屋现状",
            "家务分工写下来，能少吵很多架",
            "少买东西，多留存款",
        ),
        quotes=(
            "一日三餐，四季冷暖，就是日子。",
            "慢一点，也是一种生活。",
            "家里的事，讲理之前先讲情。",
        ),
        reply_titles=(
            "看饿了", "求详细做法", "同是天涯北漂人", "加油，会越来越好的", "家长群确实累",
            "跑步贵在坚持", "这种房东就该曝光", "想家了",
        ),
    ),
    DemoBoard(
        slug="overseas",
        name="海外华人",
        description="留学、移民、工作与乡愁。海外华人的家园，也欢迎准备出国的朋友来取经。",
        moderators=("溫哥華老陳", "枫叶国游子"),
        slots={
            "country": ("加拿大", "澳洲", "美国", "英国", "德国", "新西兰", "日本"),
            "years": range(2, 21),
            "n": range(4, 19),
        },
        topics=(
            ("来{country}第{years}年，说说感受", "来{country}已经{years}年了，从留学到工作，再到成家，感受很复杂。"),
            ("孩子的中文教育，大家怎么坚持的", "孩子上了本地学校以后，中文退步很快，周末中文学校也不太愿意去了。"),
            ("华人超市越来越好逛了", "今天去新开的华人超市，从酱油到月饼应有尽有，差点以为回了国。"),
            ("回国探亲要注意的几件事", "时隔三年回国探亲，手机、支付、证件都遇到了点小麻烦，记下来给大家参考。"),
            ("工签转身份，漫长的等待", "递交材料已经{n}个月了，还没有消息，每天刷邮箱。"),
            ("留学生租房避坑指南", "帮好几个学弟学妹找过房子，整理一份租房避坑指南。"),
            ("父母来探亲，医疗保险怎么买", "父母下个月来探亲，要住半年，医疗保险让我很头疼。"),
            ("在国外过春节，你们怎么过", "又一个在海外的春节，今年几家朋友约好一起包饺子。"),
            ("海外求职，简历写不写中文名", "投了几十份简历没回音，有人建议我把中文名换成英文名。"),
            ("退休后回国，还是留在这边？", "和老伴商量退休后的打算，一个想回国，一个想留下。"),
            ("周末去农场摘蓝莓", "周末带孩子去郊外农场摘蓝莓，天气很好，随手记几句流水账。"),
            ("在{country}考驾照的经历", "在{country}考驾照考了三次才过，说说我的经历。"),
            ("第二代华人的认同感从哪里来", "女儿问我，她到底算哪里人，我一时不知道怎么回答。"),
            ("一个人在异乡生病的夜晚", "前几天发高烧，一个人在公寓里，那一刻特别想家。"),
            ("在中餐馆打工的那几年", "刚来的时候在中餐馆打了三年工，那段日子现在想来像一场梦。"),
            ("{country}的物价又涨了", "这两年{country}物价涨得厉害，房租、菜价、油价都在涨。"),
        ),
        reposts=(
            ("侨社动态：多地华人社团举办中秋联谊", "报道称，多地华人社团近日举办中秋联谊活动，吸引了不少留学生参加。"),
            ("留学观察：理工科申请人数继续上升", "文章根据几所大学公布的数据指出，理工科专业的国际学生申请人数继续上升。"),
        ),
        outlets=("海燕侨报", "远山观察网"),
        sentences=(
            "刚来的时候什么都不习惯，现在回国反而会觉得有点陌生了。",
            "孩子在家说中文，出门说英文，我们的要求是至少能读能写。",
            "这边看病预约要等很久，急诊倒是很快。",
            "华人社区互助的氛围很好，有事在群里问一声，总会有人帮忙。",
            "签证政策每年都在变，一切以官方网站为准，不要只听中介说。",
            "一到过节就特别想家，在海外的人对这一点体会最深。",
            "说实话，生活质量是好了，但朋友圈子小了很多。",
            "父母来一趟不容易，保险一定要提前买好。",
            "文化差异不是坏事，关键是互相尊重。",
            "语言过关之后，很多门会自动打开。",
            "这边的冬天又长又黑，一定要找点事情做。",
            "出国不是终点，而是另一种生活的开始。",
            "我会定期带孩子回国，让他知道自己的根在哪里。",
        ),
        list_items=(
            "提前准备好证件的复印件和电子版",
            "租房一定签书面合同，押金走正规渠道",
            "买好医疗保险，不要抱侥幸心理",
            "多参加社区活动，认识本地朋友",
            "每周固定一个中文阅读时间",
        ),
        quotes=(
            "心安的地方，就是家。",
            "走得再远，也别忘了来时的路。",
            "根在哪里，人就不会迷路。",
        ),
        reply_titles=(
            "同在海外，握手", "感同身受", "谢谢分享经验", "孩子的中文确实难", "想家了",
            "保险一定要买", "欢迎常来坐坐", "一样的经历",
        ),
    ),
)

REPLY_TITLES = (
    "同意楼主", "说得好，顶一个", "不太同意，说说我的看法", "补充一点", "这个要看具体情况", "同感",
    "楼上说到点子上了", "哈哈，有意思", "请教楼主一个问题", "mark，回头细看", "谢谢分享", "有道理",
    "学习了", "我来说两句", "不敢苟同", "理性讨论，别吵",
)
REPLY_OPENERS = (
    "我觉得楼主说的有一定道理。",
    "我的经验跟你正好相反。",
    "这个问题我也想过很久，说说我的看法。",
    "楼上说得对，不过还有一点容易被忽略。",
    "谢谢分享，很有启发。",
    "能不能展开说说？我很想听细节。",
    "我身边就有类似的例子。",
    "不太同意，理由如下。",
    "看完很有同感，忍不住回一句。",
    "这个话题每隔一段时间就会被拿出来讨论，说明确实是个真问题。",
)
CLOSERS = (
    "以上只是个人看法，欢迎拍砖。",
    "抛砖引玉，想听听大家的意见。",
    "潜水很久了，第一次发帖，请多关照。",
    "有不同意见很正常，大家理性讨论。",
    "写得有点长，感谢看完的朋友。",
    "后续有进展再来更新。",
)
RETURNING_TOPIC = ("再谈：", "旧话重提：", "老话题：")
LIST_INTROS = ("简单列几条：", "我的几点做法：", "总结一下：", "几个要点：")
HEADINGS = ("### 几点体会", "### 我的做法", "### 要点", "### 简单总结")
REPOST_COMMENTS = (
    "转过来给大家参考，观点不代表本人，欢迎讨论。",
    "文章的结论不一定对，但角度值得一看。",
    "这里只摘了要点，大家怎么看？",
)
LATE_REPLY_TITLES = ("挖个坟，几年后再看这个帖子", "翻到这个老帖，说几句", "老帖新看，当年说对了吗")
LATE_REPLY_BODIES = (
    "今天顺着搜索翻到这个帖子，回头看当年大家的判断，挺有意思的。",
    "没想到这个帖子还在，当时的讨论现在看依然有参考价值。",
)

# (sender, recipient, body, read by the recipient); Traditional writers' text is converted.
MESSAGES = (
    ("小桥流水", "柴米油盐", "版主好，我想在生活百态发一个周末读书会的活动帖，方便的话能置顶几天吗？", True),
    ("柴米油盐", "小桥流水", "可以的，帖子发出来以后把链接发给我，我来处理。", False),
    ("价值投资者", "股海沉浮", "上次您说的高股息策略，能不能再讲讲仓位怎么分配？谢谢！", True),
    ("股海沉浮", "价值投资者", "我一般是三成高股息、三成宽基、其余放债券和现金，仅供参考，别照抄。", False),
    ("台北阿明", "香江過客", "上次推荐的那本书已经买到了，这个周末就开始读，读完再来交流。", False),
    ("追风少年", "价值投资者", "你懂什么叫短线吗？别老在我帖子下面唱反调。", True),
    ("闲云野鹤", OPERATOR, "站务你好，我朋友注册时提示用户名和已有用户太相似，能帮忙看看吗？", False),
    ("溫哥華老陳", "枫叶国游子", "下个月的华人新年联欢会，你们那边有人报名吗？我们这边已经有二十多个家庭了。", True),
    ("枫叶国游子", "溫哥華老陳", "报了八家，孩子们在排练舞龙，到时候见！", False),
    ("北漂十年", "江南烟雨", "回老家的事定了，下个月走，走之前一起吃个饭？", False),
)
BLOCK = ("价值投资者", "追风少年")  # (user, blocked)

SITE_PAGES = (
    ("about", "关于我们", """\
论坛是一个面向中文读者和作者的社区：经典的 BBS 版面，树状的跟帖，每一条回复都有自己的标题；也可以开一个自己的专栏，长文慢慢写。

## 我们相信

- **好好说话**：观点可以不同，态度要友善。
- **言之有物**：一个好标题，胜过十个“顶”。
- **简繁皆宜**：无论你用简体还是繁体写作，读者都可以用自己习惯的字体阅读。

## 这里有什么

股市财经、时政要闻、文化艺术、科技前沿、生活百态、海外华人等版面，由热心的版主打理。每个版面的版主名单写在版面首页。

> 论坛是大家的，欢迎你留下来，说说你的故事。

本站目前展示的是演示内容，帖子与账户均为虚构。
"""),
    ("contact", "联系我们", """\
有问题、建议或者合作意向，欢迎联系站务。

## 联系方式

1. **站内悄悄话**：登录后给站务 **站务老王** 发悄悄话，这是最快的方式。
2. **电子邮件**：service@example.org（一般在两个工作日内回复）。
3. **版面事务**：某个版面的问题，请先联系该版的版主。

## 举报与申诉

- 看到违规内容，请使用帖子下方的“举报”功能，并简单写明理由。
- 对删帖或封禁有异议，可以发邮件申诉，请附上帖子链接和你的用户名。

我们会认真对待每一封来信。
"""),
    ("advertising", "广告服务", """\
论坛的运营费用部分来自广告。我们只接受与社区气质相符的广告。

## 广告形式

- **版面横幅**：显示在指定版面的帖子列表上方，按周计费。
- **赞助专栏**：以“赞助”标注的专栏文章，内容须真实、可核实。
- **活动合作**：线上读书会、讲座、线下聚会等。

## 我们不接受

1. 荐股、带单、“保本高收益”一类的金融推广；
2. 医疗、保健品的夸大宣传；
3. 任何伪装成普通帖子的软文。

> 所有广告都会清楚地标注“广告”或“赞助”，不会混在正常内容里。

合作请写信至 ads@example.org，注明公司名称、广告形式和投放时间。
"""),
    ("terms", "使用条款", """\
注册或使用本站，即表示你同意以下条款。

## 一、发帖规范

1. 遵守法律法规，不发布违法、侵权的内容。
2. 对事不对人，不进行人身攻击，不泄露他人隐私。
3. 转帖请勾选“转帖”，并注明来源；不要整篇复制受版权保护的文章。
4. 不发布广告、垃圾信息，不刷帖、不恶意灌水。

## 二、账户

- 一人一号，请妥善保管密码。
- 不得使用冒充站务、版主或他人的用户名。

## 三、管理

版主和站务可以隐藏、锁定、移动违规帖子，必要时禁止用户在某个版面发言；所有操作都会记录在管理日志中，可以申诉。

## 四、内容与责任

帖子版权归作者所有。作者同意本站展示其发布的内容。帖子仅代表作者个人观点，与本站立场无关；投资有风险，据此操作后果自负。

## 五、条款修改

本条款可能会调整，修改后会在本页公布，继续使用即视为同意。
"""),
)


# --- building ------------------------------------------------------------------


@dataclass
class _Planned:
    """A post to write: the whole community is planned first, then written in time order."""

    seq: int
    at: datetime
    board: DemoBoard
    author: str
    title: str
    body: str
    parent: "_Planned | None" = None
    depth: int = 0
    repost: bool = False
    source: str = ""
    post: Post | None = None  # once written
    children: list["_Planned"] = field(default_factory=list)


class _Builder:
    def __init__(self, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.now = now
        self.today = timezone.localdate(now)
        self.moderators = {b.slug: set(b.moderators) for b in BOARDS}
        self.used_titles: set[str] = set()
        self.plan: list[_Planned] = []

    # -- who writes

    def _weights(self, board: DemoBoard, *, replying: bool) -> list[tuple[str, float]]:
        weights = []
        for account in DEMO_ACCOUNTS:
            if account.username == OPERATOR:
                weight = 0.6 if replying else 0.1
            elif account.username in self.moderators[board.slug]:
                weight = 4.0
            elif board.slug in account.boards:
                weight = 4.0 - account.boards.index(board.slug)
            else:
                weight = 0.4
            weights.append((account.username, weight))
        return weights

    def _pick(self, board: DemoBoard, *, replying: bool, avoid: str = "") -> str:
        names, weights = zip(*[(n, w) for n, w in self._weights(board, replying=replying) if n != avoid])
        return self.rng.choices(names, weights)[0]

    # -- what they write

    def _fill(self, text: str, slots: dict) -> str:
        return text.format_map(slots)

    def _slots(self, board: DemoBoard) -> dict:
        return {key: self.rng.choice(values) for key, values in board.slots.items()}

    def _list(self, board: DemoBoard, slots: dict, low: int, high: int) -> str:
        items = self.rng.sample(board.list_items, min(self.rng.randint(low, high), len(board.list_items)))
        numbered = self.rng.random() < 0.5
        return "\n".join(
            (f"{i}. " if numbered else "- ") + self._fill(item, slots) for i, item in enumerate(items, 1)
        )

    def _repost_body(self, summary: str, outlet: str, slots: dict) -> str:
        parts = [f"以下内容转自《{outlet}》，仅供讨论。", summary, self.rng.choice(REPOST_COMMENTS)]
        return self._fill("\n\n".join(parts), slots)

    def _thread_body(self, board: DemoBoard, opener: str, slots: dict) -> str:
        rng = self.rng
        parts = [opener]
        pool = rng.sample(board.sentences, len(board.sentences))
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            size = rng.randint(2, 3)
            take, pool = pool[:size], pool[size:]
            if take:
                parts.append("".join(take))
        if rng.random() < 0.4:
            parts.append(rng.choice(HEADINGS) if rng.random() < 0.4 else rng.choice(LIST_INTROS))
            parts.append(self._list(board, slots, 3, 4))
        if rng.random() < 0.3:
            parts.append("> " + rng.choice(board.quotes))
        if rng.random() < 0.5:
            parts.append(rng.choice(CLOSERS))
        return self._fill("\n\n".join(parts), slots)

    def _topic(self, board: DemoBoard, slots: dict) -> tuple[str, str]:
        for _ in range(12):
            title, opener = self.rng.choice(board.topics)
            title = self._fill(title, slots)
            if title not in self.used_titles:
                break
        else:
            title = self.rng.choice(RETURNING_TOPIC) + title  # every board has its perennial debates
        self.used_titles.add(title)
        return title, opener

    def _reply_text(self, board: DemoBoard, parent: _Planned, slots: dict) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            title = "Re: " + parent.title.removeprefix("Re: ")
        elif roll < 0.65:
            title = rng.choice(REPLY_TITLES)
        else:
            title = rng.choice(board.reply_titles)
        if rng.random() < 0.25:
            return title, ""  # the title says it all: shown as "(无内容)"
        parts = []
        if rng.random() < 0.15:
            parts.append("> " + parent.title)
        said = rng.choice(REPLY_OPENERS) + "".join(rng.sample(board.sentences, rng.randint(1, 2)))
        parts.append(self._fill(said, slots))
        if rng.random() < 0.08:
            parts.append(self._list(board, slots, 2, 3))
        return title, "\n\n".join(parts)

    # -- when

    def _after(self, at: datetime) -> datetime:
        """A moment after `at` and before now: mostly within hours, sometimes days later."""
        room = (self.now - at).total_seconds()
        if self.rng.random() < 0.04:
            wanted = self.rng.uniform(2, 60) * 86400
        else:
            wanted = 60 + self.rng.expovariate(1 / (3 * 3600))
        # Half the room at most, so a chain of replies never reaches now.
        return at + timedelta(seconds=max(1.0, min(wanted, room / 2)))

    def _ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low_days, high_days))

    # -- the plan

    def _add(self, **fields) -> _Planned:
        planned = _Planned(seq=len(self.plan), **fields)
        self.plan.append(planned)
        if planned.parent is not None:
            planned.parent.children.append(planned)
        return planned

    def _reply_count(self) -> int:
        band = self.rng.choices(("none", "few", "some", "many", "lots"), (12, 15, 62, 8, 3))[0]
        low, high = {"none": (0, 0), "few": (1, 2), "some": (3, 12), "many": (13, 24), "lots": (30, 40)}[band]
        return self.rng.randint(low, high)

    def thread(self, board: DemoBoard, at: datetime, replies: int) -> _Planned:
        rng = self.rng
        slots = self._slots(board)
        author = self._pick(board, replying=False)
        title, summary = rng.choice(board.reposts)
        title = self._fill(title, slots)
        repost = rng.random() < 0.1 and title not in self.used_titles  # news is reposted once
        if repost:
            self.used_titles.add(title)
            outlet = rng.choice(board.outlets)
            body, source = self._repost_body(summary, outlet, slots), f"转自：{outlet}"
        else:
            title, opener = self._topic(board, slots)
            body, source = self._thread_body(board, opener, slots), ""
        root = self._add(
            at=at, board=board, author=author, repost=repost, source=_in_script_of(author, source),
            title=_in_script_of(author, title), body=_in_script_of(author, body),
        )
        nodes = [root]
        max_depth = rng.choice((3, 4, 5, 6)) if replies < 16 else rng.choice((5, 6))
        for _ in range(replies):
            open_nodes = [n for n in nodes if n.depth < max_depth]
            roll = rng.random()
            if roll < 0.3:
                parent = root
            elif roll < 0.75:
                parent = rng.choice(open_nodes[-4:])  # the conversation going on right now
            else:
                parent = rng.choice(open_nodes)
            if parent.author != root.author and rng.random() < 0.15:
                replier = root.author  # the original poster answers
            else:
                replier = self._pick(board, replying=True, avoid=parent.author)
            title, body = self._reply_text(board, parent, slots)
            nodes.append(self._add(
                at=self._after(parent.at), board=board, author=replier, parent=parent, depth=parent.depth + 1,
                title=_in_script_of(replier, title), body=_in_script_of(replier, body),
            ))
        return root

    def late_reply(self, root: _Planned) -> None:
        """Someone digs up an old thread this week."""
        replier = self._pick(root.board, replying=True, avoid=root.author)
        at = self._ago(0.05, 5)
        title, body = self.rng.choice(LATE_REPLY_TITLES), self.rng.choice(LATE_REPLY_BODIES)
        self._add(
            at=at, board=root.board, author=replier, parent=root, depth=1,
            title=_in_script_of(replier, title), body=_in_script_of(replier, body),
        )

    def build_plan(self) -> None:
        """Plan the threads the side lists show first, so they get the freshest topics."""
        rng = self.rng
        # This week's threads feed the weekly lists; one of them is the talk of the week.
        for i in range(14):
            self.thread(BOARDS[i % len(BOARDS)], self._ago(0.15, 5.5), 36 if i == 0 else self._reply_count())
        # On this day in each of the three earlier years, a thread people talked about.
        for day in _same_day_in_earlier_years(self.today, 3):
            at = timezone.make_aware(datetime(day.year, day.month, day.day, rng.randint(8, 21), rng.randint(0, 59)))
            self.thread(rng.choice(BOARDS), at, rng.randint(12, 24))
        spread = [
            self.thread(rng.choice(BOARDS), self._ago(8, SPREAD_DAYS), self._reply_count()) for _ in range(200)
        ]
        for root in rng.sample(spread, 6):
            self.late_reply(root)


def _in_script_of(author: str, text: str) -> str:
    """Traditional-writing members write everything in Traditional characters."""
    return to_traditional(text) if _TRADITIONAL_WRITERS.get(author) else text


_TRADITIONAL_WRITERS = {a.username: a.traditional for a in DEMO_ACCOUNTS}


def _same_day_in_earlier_years(today: date, count: int) -> list[date]:
    days, year = [], today.year - 1
    while len(days) < count:
        try:
            days.append(today.replace(year=year))
        except ValueError:
            pass  # 29 February: only leap years have it
        year -= 1
    return days


# --- columns ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoArticle:
    title: str
    body: str
    days_ago: int
    summary: str = ""
    references: tuple[str, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()  # (commenter, text)
    draft: bool = False


@dataclass(frozen=True)
class DemoColumn:
    owner: str
    slug: str
    title: str
    intro: str
    articles: tuple[DemoArticle, ...]
    tip_links: dict[str, str] | None = None


COLUMNS: tuple[DemoColumn, ...] = (
    DemoColumn(
        "静水流深", "jingshui", "慢读财经",
        "不追热点，只把一件事讲清楚：利率、汇率和普通人的钱包。每周一篇。",
        (
            DemoArticle(
                "利率下调之后，存款还值得存吗？",
                "央行又一次下调了贷款市场报价利率，银行的定期存款利率也跟着往下走。很多读者来信问：钱还要不要存银行？\n\n"
                "## 先算一笔账\n\n假如你有 20 万元，三年定期利率从 2.6% 降到 2.35%，三年少拿的利息大约是 1,500 元。"
                "这不是一笔大钱，但也不能说不重要。\n\n"
                "## 和什么比\n\n存款的对手不是股票，而是同样保本的东西：国债、货币基金、大额存单。"
                "它们的利率也在下降，差距并没有拉开。\n\n"
                "## 我的看法\n\n应急的钱放在随时能取的地方，三年内要用的钱不要去追高收益。**先想清楚用途，再选产品。**",
                days_ago=12,
                references=("中国人民银行 贷款市场报价利率公告 https://www.pbc.gov.cn/", "《存款保险条例》"),
                comments=(("价值投资者", "算账这一段很实在，20 万以内其实差别不大。"), ("追风少年", "那国债是不是更好抢？")),
            ),
            DemoArticle(
                "汇率的三个常见误会",
                "人民币汇率一波动，朋友圈就热闹起来。下面三个说法，我几乎每周都能听到。\n\n"
                "## 误会一：汇率跌了，东西马上涨价\n\n进口商品的价格要经过合同、库存和渠道，传导通常要几个月。\n\n"
                "## 误会二：换汇越早越好\n\n没有人能稳定地猜中短期走势。要用外汇的家庭，分几次换比一次换完更稳。\n\n"
                "## 误会三：汇率只和出口有关\n\n留学、旅游、还外债，都和汇率有关。它影响的是每个人的购买力。",
                days_ago=5,
                summary="汇率一波动，三个说法就会流行起来：涨价、抢换汇、只关出口。逐一说说为什么不对。",
            ),
            DemoArticle(
                "下周写什么：读者来信汇总",
                "这是草稿，只有作者自己看得到。\n\n## 待选题目\n\n- 养老金账户\n- 房贷提前还款",
                days_ago=0, draft=True,
            ),
        ),
        tip_links={"alipay": "https://qr.alipay.com/demo-jingshui", "wechat": "wxp://f2f0demo-jingshui"},
    ),
    DemoColumn(
        "硅谷码农", "coder", "码农札记",
        "写代码二十年，记下工作里真正有用的东西。",
        (
            DemoArticle(
                "大模型写代码，我用了三个月",
                "三个月前，团队开始让大模型帮忙写测试和重构。说说真实的感受。\n\n"
                "## 好用的地方\n\n写样板代码、补测试、解释陌生的库，速度快了不少。\n\n"
                "## 要小心的地方\n\n它写的代码看起来都对。真正的问题是边界条件：时区、编码、并发。每一行都要有人看过。\n\n"
                "## 结论\n\n它是一个很快的实习生，不是一个架构师。",
                days_ago=20,
                comments=(("理工男", "同感，时区问题踩过好几次。"), ("半杯咖啡", "实习生这个比喻很贴切。")),
            ),
            DemoArticle(
                "为什么我还在用 SQLite",
                "很多人以为 SQLite 只能做玩具。其实一台机器上的中小型网站，用它完全够了。\n\n"
                "## 打开 WAL\n\n读写可以同时进行，一个写、多个读，互不阻塞。\n\n"
                "## 什么时候换\n\n需要多台机器同时写入的时候，再换 PostgreSQL 也不迟。",
                days_ago=3,
                references=("SQLite 文档：Write-Ahead Logging https://www.sqlite.org/wal.html",),
            ),
        ),
    ),
    DemoColumn(
        "溫哥華老陳", "laochen", "溫哥華手記",
        "移民二十年，寫寫加拿大的日常：天氣、房子、孩子和鄉愁。",
        (
            DemoArticle(
                "第一場雪",
                "今年的第一場雪來得早，十一月中旬就下了。\n\n"
                "## 出門之前\n\n換雪胎要預約，很多車行已經排到兩週以後。\n\n"
                "## 孩子們\n\n學校沒有停課，孩子們在操場上堆了一個很大的雪人。\n\n"
                "下雪的日子，最想念的是老家的火鍋。",
                days_ago=8,
                comments=(("枫叶国游子", "我们这边也下了，路上好多车打滑。"),),
            ),
        ),
        tip_links={"wechat": "wxp://f2f0demo-laochen"},
    ),
)


def _write_columns(users: dict, now) -> int:
    """The demo columns and their articles; how many articles were published."""
    published = 0
    for spec in COLUMNS:
        owner = users[spec.owner]
        if spec.tip_links:
            set_tip_links(user=owner, **spec.tip_links)
        column = columns.open_column(owner=owner, title=spec.title, intro=spec.intro, slug=spec.slug)
        for article in spec.articles:
            at = now - timedelta(days=article.days_ago, hours=3)
            post = columns.write_article(
                author=owner, column=column, title=article.title, body=article.body, summary=article.summary,
                references=article.references, publish=not article.draft, at=at,
            )
            if article.draft:
                continue
            published += 1
            seed_views(post=post, day=timezone.localdate(at), count=80 + 40 * len(article.comments))
            for number, (name, text) in enumerate(article.comments, 1):
                forum.reply(
                    author=users[name], parent=post, title=f"Re: {article.title}", body=text,
                    at=at + timedelta(hours=2 * number),
                )
    return published


def create_demo() -> list[str]:
    """Build the demo community in one transaction; return the lines to print.

    Refuses (and says so) when the site already has boards or any demo name is taken.
    """
    if Board.objects.exists():
        return ["站点已有版面，不再创建演示内容。"]
    skeletons = [skeleton(a.username) for a in DEMO_ACCOUNTS]
    if User.objects.filter(name_skeleton__in=skeletons).exists():
        return ["演示账户的用户名已被占用，不再创建演示内容。"]

    builder = _Builder(timezone.now())
    builder.build_plan()
    with transaction.atomic():
        counts = _write(builder)
    return account_lines() + [
        "演示内容已创建：{boards} 个版面、{threads} 个主题、{replies} 条回复、{votes} 次投票、{messages} 条悄悄话、"
        "{columns} 个专栏、{articles} 篇专栏文章。".format(**counts)
    ]


def _write(builder: _Builder) -> dict[str, int]:
    rng = builder.rng
    users = {a.username: register(username=a.username, password=DEMO_PASSWORD) for a in DEMO_ACCOUNTS}
    grant_operator(user=users[OPERATOR])

    boards = {}
    for position, spec in enumerate(BOARDS):
        boards[spec.slug] = forum.create_board(
            slug=spec.slug, name=spec.name, description=spec.description, position=position
        )
        for name in spec.moderators:
            moderators.appoint_moderator(actor=None, board=boards[spec.slug], user=users[name])

    # In time order, so ids (and the order of replies in a tree) follow the clock.
    for planned in sorted(builder.plan, key=lambda p: (p.at, p.seq)):
        author = users[planned.author]
        if planned.parent is None:
            planned.post = forum.create_thread(
                author=author, board=boards[planned.board.slug], title=planned.title, body=planned.body,
                repost=planned.repost, source=planned.source, at=planned.at,
            )
        else:
            planned.post = forum.reply(
                author=author, parent=planned.parent.post, title=planned.title, body=planned.body, at=planned.at
            )

    _seed_views(builder)

    votes = 0
    for planned in builder.plan:
        if planned.parent is None:
            voters = rng.choice((0, 1, 2, 3, 4, 5, 6, 8))
        else:
            voters = rng.choices((0, 1, 2, 3), (70, 18, 8, 4))[0]
        liking = rng.uniform(0.45, 0.95)
        others = [name for name in users if name != planned.author]
        for name in rng.sample(others, voters):
            forum.vote(user=users[name], post=planned.post, value=1 if rng.random() < liking else -1)
            votes += 1

    for sender, recipient, body, read in MESSAGES:
        message = messages.send(
            sender=users[sender], recipient=users[recipient], body=_in_script_of(sender, body)
        )
        if read:
            messages.mark_read(user=users[recipient], message=message)
    user, blocked = BLOCK
    messages.block(user=users[user], blocked=users[blocked])

    for position, (slug, title, body) in enumerate(SITE_PAGES):
        save_site_page(slug=slug, title=title, body=body, position=position)

    articles = _write_columns(users, builder.now)

    roots = sum(1 for p in builder.plan if p.parent is None)
    return {
        "boards": len(boards), "threads": roots, "replies": len(builder.plan) - roots,
        "votes": votes, "messages": len(MESSAGES), "columns": len(COLUMNS), "articles": articles,
    }


def _seed_views(builder: _Builder) -> None:
    """Past reads: a burst when a post appears, and daily reads for threads active this week."""
    rng, today = builder.rng, builder.today
    week_start = today - timedelta(days=6)
    for planned in builder.plan:
        day = timezone.localdate(planned.at)
        if planned.parent is None:
            seed_views(post=planned.post, day=day, count=rng.randint(20, 200) + 8 * _size(planned))
            last = max(timezone.localdate(p.at) for p in _walk(planned))
            if last >= week_start:
                current = max(day, week_start)
                while current <= today:
                    seed_views(post=planned.post, day=current, count=rng.randint(10, 60) + 3 * _size(planned))
                    current += timedelta(days=1)
        elif rng.random() < 0.25:
            seed_views(post=planned.post, day=day, count=rng.randint(1, 40))


def _walk(planned: _Planned):
    yield planned
    for child in planned.children:
        yield from _walk(child)


def _size(root: _Planned) -> int:
    return sum(1 for _ in _walk(root)) - 1
