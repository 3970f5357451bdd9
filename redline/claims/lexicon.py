"""Word lists the extractor reads text with: metric words, qualifiers, change verbs, anaphora.

Everything here is declared data (compiled patterns and frozen mappings); the
rules that use it live in :mod:`redline.claims.extract`. Metric phrases from
the store's catalog are merged with :data:`EXTRA_METRIC_PHRASES` by the
:class:`~redline.claims.gazetteer.Gazetteer`.
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = [
    "EXTRA_METRIC_PHRASES",
    "GENERIC_WORDS",
    "SKIPPED_CATALOG_ALIASES",
    "CJK_ALIASES",
    "QUALIFIER_BEFORE_REV",
    "qualifier_before",
    "QUALIFIER_AFTER",
    "PARTICLE_OVER_BEFORE",
    "TAKE_BEFORE",
    "OVER_SPAN_KEEP_BEFORE",
    "OVER_SPAN_AFTER",
    "CHANGE_UP",
    "CHANGE_DOWN",
    "ANAPHORA_RE",
    "COMPANY_THING_AFTER",
]

EXTRA_METRIC_PHRASES = MappingProxyType({
    # deliveries (specific)
    "deliveries": "deliveries", "delivery": "deliveries", "delivered": "deliveries", "deliver": "deliveries",
    "delivers": "deliveries", "delivering": "deliveries", "handed over": "deliveries", "handovers": "deliveries",
    "delivery volume": "deliveries", "delivery volumes": "deliveries", "交付": "deliveries", "交付量": "deliveries",
    "交车": "deliveries",
    # sales as a series of its own
    "retail sales": "sales", "retail": "sales", "registrations": "sales", "insurance registrations": "sales",
    "wholesale": "sales", "wholesales": "sales", "wholesale volume": "sales", "shipments": "sales", "shipped": "sales",
    "零售": "sales", "零售量": "sales", "批发": "sales", "批发量": "sales", "上险量": "sales",
    # generic volume words (deliveries, flagged generic)
    "sales": "deliveries", "sold": "deliveries", "sell": "deliveries", "sells": "deliveries", "selling": "deliveries",
    "units": "deliveries", "cars sold": "deliveries", "vehicles sold": "deliveries", "units sold": "deliveries",
    "moved": "deliveries", "volume": "deliveries", "volumes": "deliveries", "sales volume": "deliveries",
    "销量": "deliveries", "售出": "deliveries", "卖出": "deliveries",
    # production
    "production": "production", "produced": "production", "produce": "production", "output": "production",
    "built": "production", "manufactured": "production", "产量": "production", "生产": "production",
    # targets
    "target": "delivery_target", "targets": "delivery_target", "delivery target": "delivery_target",
    "sales target": "delivery_target", "goal": "delivery_target", "delivery goal": "delivery_target",
    "sales goal": "delivery_target", "guidance": "delivery_target", "annual target": "delivery_target",
    "full-year target": "delivery_target", "target of": "delivery_target",
    "aims to deliver": "delivery_target", "aim to deliver": "delivery_target", "aiming to deliver": "delivery_target",
    "plans to deliver": "delivery_target", "expects to deliver": "delivery_target", "targets to deliver": "delivery_target",
    "aims to sell": "delivery_target", "aim to sell": "delivery_target", "plans to sell": "delivery_target",
    "expects to sell": "delivery_target", "targeting": "delivery_target", "targeted": "delivery_target",
    "guided": "delivery_target", "guided for": "delivery_target", "guides for": "delivery_target",
    "guidance of": "delivery_target", "guidance for": "delivery_target", "expects deliveries": "delivery_target",
    "expected deliveries": "delivery_target", "expects sales": "delivery_target", "forecast": "delivery_target",
    "outlook": "delivery_target", "aims for": "delivery_target", "aiming for": "delivery_target", "目标": "delivery_target",
    "销量目标": "delivery_target", "交付目标": "delivery_target",
    # market share
    "market share": "market_share", "share": "market_share", "share of the market": "market_share",
    "penetration": "market_share", "penetration rate": "market_share", "slice": "market_share",
    "slice of": "market_share", "市场份额": "market_share",
    "份额": "market_share", "市占率": "market_share",
    # orders
    "pre-orders": "pre_orders", "preorders": "pre_orders", "pre-order": "pre_orders", "reservations": "pre_orders",
    "orders": "pre_orders", "bookings": "pre_orders", "订单": "pre_orders", "预订": "pre_orders",
    "小订": "pre_orders", "locked orders": "locked_orders", "firm orders": "locked_orders",
    "lock-in orders": "locked_orders", "locked-in orders": "locked_orders", "non-refundable orders": "locked_orders",
    "locked in orders": "locked_orders", "locked-in": "locked_orders", "lock-ins": "locked_orders",
    "锁单": "locked_orders", "大定": "locked_orders",
    # prices
    "price": "price_new", "priced at": "price_new", "starting price": "price_new", "base price": "price_new",
    "costs": "price_new", "cost": "price_new", "retail price": "price_new", "starts at": "price_new",
    "starting at": "price_new", "price tag": "price_new", "prices": "price_new", "priced from": "price_new", "priced": "price_new",
    "售价": "price_new", "起售价": "price_new", "定价": "price_new", "价格": "price_new",
    "resale price": "price_resale", "resale": "price_resale", "refurbished": "price_resale",
    "used price": "price_resale", "sells for": "price_resale", "sell for": "price_resale",
    "selling for": "price_resale", "second-hand": "price_resale", "secondhand": "price_resale",
    "renewed": "price_resale", "二手": "price_resale", "goes for": "price_resale", "go for": "price_resale",
    "going for": "price_resale", "fetches": "price_resale", "fetch": "price_resale",
    # money
    "revenue": "revenue", "revenues": "revenue", "sales revenue": "revenue", "turnover": "revenue",
    "营收": "revenue", "收入": "revenue", "营业收入": "revenue",
    # safety
    "fatal accidents": "fatal_incidents", "fatal accident": "fatal_incidents", "fatal crashes": "fatal_incidents",
    "fatal crash": "fatal_incidents", "deadly crashes": "fatal_incidents", "deadly crash": "fatal_incidents",
    "deadly accidents": "fatal_incidents", "fatal collisions": "fatal_incidents", "fatal incidents": "fatal_incidents",
    "deadly incidents": "fatal_incidents", "deadly collisions": "fatal_incidents", "fatal car crashes": "fatal_incidents",
    "fatal road accidents": "fatal_incidents", "fatal traffic accidents": "fatal_incidents",
    # crashes counted by their deaths ('two crashes that killed…'); the deaths themselves are no catalog metric
    "crashes that killed": "fatal_incidents", "crash that killed": "fatal_incidents",
    "crashes which killed": "fatal_incidents", "accidents that killed": "fatal_incidents",
    "accident that killed": "fatal_incidents", "accidents which killed": "fatal_incidents",
    "collisions that killed": "fatal_incidents", "incidents that killed": "fatal_incidents",
    "crashes that claimed": "fatal_incidents", "accidents that claimed": "fatal_incidents",
    "死亡事故": "fatal_incidents",
    "recalls": "recalls", "recall": "recalls", "recall campaigns": "recalls", "recall campaign": "recalls",
    "vehicles recalled": "vehicles_recalled", "cars recalled": "vehicles_recalled", "units recalled": "vehicles_recalled",
    "recalling": "vehicles_recalled", "recalled": "vehicles_recalled", "recall of": "vehicles_recalled",
    "召回": "vehicles_recalled",
    "cumulative production": "milestone_cumulative_production", "rolled off the line": "milestone_cumulative_production",
    "rolled off the production line": "milestone_cumulative_production",
    "warning": "adas_warning_lead_time", "alert": "adas_warning_lead_time",
    "shares": "share_price", "stock": "share_price", "share price": "share_price", "stock price": "share_price",
    "ticker": "share_price", "股价": "share_price",
    "store closures": "store_closures", "closing": "store_closures", "closed": "store_closures",
    "shutter": "store_closures", "shuttering": "store_closures", "shut": "store_closures",
    "closures": "store_closures",
})
"""Phrases (lower-cased) → metric, beyond the catalog's aliases."""

GENERIC_WORDS = frozenset({
    "sales", "sold", "sell", "sells", "selling", "units", "cars sold", "vehicles sold", "units sold", "moved",
    "volume", "volumes", "sales volume", "cars", "vehicles", "销量", "售出", "卖出",
})
"""Generic volume words: they fit company deliveries or retail sales (metric 'deliveries', generic_volume)."""

SKIPPED_CATALOG_ALIASES = frozenset({"stores", "th car", "th vehicle", "deaths", "fatalities"})
"""Catalog aliases the extractor reads by other rules (a count noun, an ordinal)."""

CJK_ALIASES = MappingProxyType({
    "小米": "Xiaomi", "小米集团": "Xiaomi Group", "小米汽车": "Xiaomi", "特斯拉": "Tesla",
    "特斯拉中国": "Tesla China", "比亚迪": "BYD", "蔚来": "NIO", "小鹏": "XPeng", "小鹏汽车": "XPeng",
    "理想": "Li Auto", "理想汽车": "Li Auto", "零跑": "Leapmotor", "零跑汽车": "Leapmotor",
})
"""Chinese names of entities in the bundled pack (used only when the store holds the entity)."""

# -- qualifiers -----------------------------------------------------------------
_Q_BEFORE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("almost", ("almost", "nearly", "just shy of", "shy of", "close to", "approaching", "nigh on")),
    ("under", ("just under", "just below", "under", "below", "less than", "fewer than", "lower than", "short of")),
    ("over", ("just over", "well over", "just above", "well above", "over", "more than", "above", "exceeding",
              "exceeded", "in excess of", "upwards of", "north of", "topping", "topped", "surpassing", "surpassed",
              "passing", "passed", "beyond", "greater than", "higher than")),
    ("about", ("about", "around", "roughly", "approximately", "approx.", "approx", "some", "an estimated", "near",
               "estimated", "circa", "ca.", "in the region of", "on the order of", "something like", "some like")),
    ("at_least", ("at least", "no less than", "no fewer than", "a minimum of", "not less than")),
    ("at_most", ("at most", "up to", "no more than", "a maximum of", "as many as", "as much as", "not more than")),
)


def _reversed_phrase(phrase: str) -> str:
    return r"\s+".join(re.escape(w[::-1]) for w in reversed(phrase.split()))


QUALIFIER_BEFORE_REV = re.compile(
    r"(?i)\s*(?:a\s+|na\s+)?(?:"
    + "|".join(
        f"(?P<{name}>" + "|".join(_reversed_phrase(p) for p in sorted(words, key=len, reverse=True)) + ")"
        for name, words in _Q_BEFORE
    )
    + r")(?![A-Za-z])"
)
"""Qualifier words right before a number, matched on the *reversed* text before it: one anchored
match instead of a search that tries every position. See :func:`qualifier_before`."""


def qualifier_before(text: str, start: int, lo: int) -> tuple[str, int] | None:
    """(qualifier, start of its words) when qualifier words end right before ``start``."""
    left = text[max(lo, start - 40):start]
    m = QUALIFIER_BEFORE_REV.match(left[::-1])
    if m is None:
        return None
    return m.lastgroup or "exact", start - m.end()


QUALIFIER_BEFORE_CJK = re.compile(
    r"(?:(?P<over>超过|超|逾|突破|过)|(?P<almost>近|将近|接近|逼近)|(?P<about>约为|约|大约|大概|约合|大约为)|(?P<at_least>至少|不少于)"
    r"|(?P<under>不到|不足|低于|少于)|(?P<at_most>最多|不超过|至多))$"
)

PARTICLE_OVER_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:hand|hands|handed|handing|take|takes|taking|taken|took|turn|turns|turned|turning|"
    r"carry|carries|carried|carrying|change|changes|changed|changing|switch|switches|switched|switching|"
    r"roll|rolls|rolled|rolling|sign|signs|signed|signing)\s+$"
)
"""A verb whose particle is the 'over' that follows it: 'handed over 30,452 vehicles' is a delivery of
30,452, not of more than 30,452 ('took over', 'turned over', 'carried over', 'changed over' alike)."""
TAKE_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:take|takes|taking|taken|took)\s+$")
"""'take orders' is said of orders: 'took over 200,000 orders' is more than 200,000 of them."""
OVER_SPAN_KEEP_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:for|in|of|than|within|after|since|taking|took|takes|take|lasting|lasted|lasts|last|"
    r"spent|spend|spends|waited|wait|waiting|aged|age|is|was|are|were|be|been|just|well)\s+$"
)
"""Before 'over N years': words after which 'over' still means 'more than' ('for over two years')."""
OVER_SPAN_AFTER = re.compile(r"(?i)(?:\s+(?:ago|old|later|earlier|before|after)|[\s-]+(?:old|long))(?![A-Za-z])")
"""After 'over N years': words that make 'over' mean 'more than' ('over two years ago')."""

QUALIFIER_AFTER = re.compile(
    r"(?i)(?:(?P<at_least>\s+or\s+more|\s+or\s+above|\s+at\s+least)|(?P<over>\+|-plus|\s+plus(?![A-Za-z])|多)"
    r"|(?P<about>\s+or\s+so|\s?左右|\s?上下)|(?P<at_most>\s+or\s+(?:less|fewer)|\s+at\s+most|\s+at\s+the\s+most))"
)

# -- change words ---------------------------------------------------------------
CHANGE_UP = (
    r"up|rose|rise|rises|rising|risen|increase|increased|increases|increasing|grew|grow|grows|growing|grown|"
    r"growth|jump|jumped|jumps|jumping|surge|surged|surges|surging|soar|soared|soars|soaring|climb|climbed|climbs|"
    r"climbing|gain|gained|gains|boost|boosted|boosting|ramp|ramped|ramping|raise|raised|raising|lift|lifted|"
    r"higher|more|added|adding|expand|expanded|expansion|spike|spiked|leap|leapt|leaped|rocketed|skyrocketed|"
    r"rebound|rebounded|improve|improved|advance|advanced|accelerated|double-digit|增长|上涨|提升|增加|上升|增幅"
)
CHANGE_DOWN = (
    r"down|fell|fall|falls|falling|fallen|drop|dropped|drops|dropping|decline|declined|declines|declining|"
    r"decrease|decreased|decreases|decreasing|slump|slumped|slumps|plunge|plunged|plunges|plunging|slid|slide|"
    r"slides|sliding|slip|slipped|slips|dip|dipped|dips|shrank|shrink|shrinks|shrinking|shrunk|contract|contracted|"
    r"contraction|lower|lowered|cut|cuts|reduce|reduced|reduction|erode|eroded|erosion|tumble|tumbled|sank|sink|"
    r"less|fewer|loss|lost|retreat|retreated|下降|下滑|减少|下跌|降幅"
)
_CHANGE_NOUNS = (
    r"increase|rise|jump|surge|growth|gain|boost|spike|leap|rebound|improvement|drop|decline|decrease|fall|"
    r"slump|plunge|dip|reduction|contraction|cut|slide|uptick|downturn|hike|increment"
)
CHANGE_BEFORE = re.compile(
    rf"(?i)(?<![A-Za-z])(?:(?P<up>{CHANGE_UP})|(?P<down>{CHANGE_DOWN}))(?![A-Za-z])(?:\s+(?:by|of|some|nearly|almost|about|around|roughly|more\s+than|over|just\s+over|a\s+further|an?\s+(?:staggering|whopping|impressive|modest|robust|solid|healthy|massive|huge|sharp|steep|strong|mere)|a|an|the|[a-z]+ly)){{0,3}}\s*$"
)
"""A change verb or noun right before a percent: 'rose 30%', 'up by almost 15%', 'a staggering 173%'."""
CHANGE_AFTER = re.compile(
    rf"(?i)^\s*(?:(?:year|quarter|month)[\s-]*(?:over|on)[\s-]*(?:year|quarter|month)\s+|yoy\s+|on[\s-]year\s+|"
    rf"(?:annual|annualised|annualized|sequential|monthly|quarterly|yearly)\s+|"
    rf"(?:[a-z]+\s+){{0,1}})(?:(?P<up>increase|rise|jump|surge|growth|gain|boost|spike|leap|rebound|improvement|uptick|hike|"
    rf"higher|more|increment|upswing)|(?P<down>drop|decline|decrease|fall|slump|plunge|dip|reduction|contraction|"
    rf"cut|slide|downturn|lower|less|fewer|loss|slowdown))(?![A-Za-z])"
)
"""A change noun right after a percent: 'a 39% surge', '173% year-over-year jump', '30% higher'."""
CN_CHANGE_BEFORE = re.compile(r"(?:(?P<up>增长|上涨|提升|增加|上升|增幅(?:为|达)?)|(?P<down>下降|下滑|减少|下跌|降幅(?:为|达)?))(?:了|约|近|超过|达)?$")

LEVEL_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:from|to|at|of|was|were|is|are|be|been|reached|reach|reaching|hit|hitting|stood\s+at|stands\s+at|"
    r"accounted\s+for|accounting\s+for|account\s+for|accounts\s+for|held|holds|hold|with|its|their|share|"
    r"represented|represents|made\s+up|makes\s+up|captured|claimed|commanded|took|takes|grabbed|"
    r"compared\s+with|compared\s+to|versus|vs\.?)(?:\s+(?:a|an|the|just|only|some|nearly|almost|about|around|roughly|"
    r"more\s+than|over|under|below|above|less\s+than|respectable|mere|meagre|meager|record|estimated|[a-z]+ly|"
    r"[a-z]+-high|[a-z]+-low)){0,3}\s*$"
)
"""Words before a percent that make it a level, not a change: 'to 4.5%', 'from a respectable 16%'."""

MULTIPLIER_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:(?P<q>more\s+than|nearly|almost|roughly|about|over)\s+)?"
    r"(?P<word>doubled|doubling|tripled|trebled|tripling|quadrupled|halved|halving)(?![A-Za-z])"
)
"""'doubled', 'tripled', 'halved' — changes without a number."""
MULTIPLIER_VALUES = MappingProxyType({
    "doubled": 100.0, "doubling": 100.0, "tripled": 200.0, "trebled": 200.0, "tripling": 200.0,
    "quadrupled": 300.0, "halved": -50.0, "halving": -50.0,
})

# -- anaphora -------------------------------------------------------------------
ANAPHORA_RE = re.compile(
    r"(?=[IiTtWwOo])(?<![A-Za-z])(?:(?P<pron>[Ii]ts|[Ii]t|[Tt]hey|[Tt]heir|[Ww]e|[Oo]ur)"
    r"|(?P<company>(?i:the\s+(?:(?:chinese|us|u\.s\.|american|german|japanese|korean|beijing-based|shanghai-based|"
    r"shenzhen-based|hangzhou-based|guangzhou-based|hefei-based|texas-based|austin-based|electric[\s-]vehicle|"
    r"electric[\s-]car|ev|nev|smartphone|phone|handset|tech|technology|electronics|consumer[\s-]electronics|car|auto|"
    r"rival|domestic|local|new|young|upstart|hong\s+kong-listed|nasdaq-listed|nyse-listed|listed|"
    r"premium|luxury|budget|startup)\s+){0,3}"
    r"(?:company|automaker|carmaker|car\s+maker|car-maker|firm|group|brand|maker|startup|start-up|manufacturer|"
    r"giant|conglomerate|producer|ev\s+maker|ev-maker|newcomer|challenger)(?:'s|’s)?)(?![A-Za-z]))"
    r"|(?P<car>(?i:the\s+(?:new\s+|electric\s+|flagship\s+|entry-level\s+|high-performance\s+)?"
    r"(?:car|vehicle|model|sedan|suv|crossover|coupe|saloon|hatchback|phone|handset|smartphone)(?:'s|’s)?)(?![A-Za-z])))"
)
"""Pronouns and definite descriptions that point back to the last salient entity."""

COMPANY_THING_AFTER = re.compile(
    r"(?i)\s+(?:[\w'’-]+\s+){0,2}?(?:targets?|goals?|guidance|forecasts?|outlook|revenues?|shares|stock|"
    r"market\s+share|factory|factories|plants?|workforce|employees|staff|stores|showrooms|ceo|chief\s+executive|"
    r"chairman|founder|shareholders|investors|profits?|margins?|earnings|results|business|division|lineup|"
    r"line-up|models|brands|fleet)(?![A-Za-z])"
)
"""After 'its': what a company has and a model has not ('its 2025 delivery target', 'its shares')."""

# -- what is not a claim --------------------------------------------------------
MODEL_SUFFIX = re.compile(
    r"(?:\s+|-)(?:Pro|Max|Ultra|Plus|Mini|Lite|SE|Air|Fold|Flip|Turbo|Edge|Neo|Prime|Performance|GT|EV|XL|"
    r"Long\s+Range|AWD|RWD|4WD|DM-i|DM|L|S|T|X|i|e|Classic|Sport|Note)(?![A-Za-z])"
)
MODEL_PREFIX_WORDS = frozenset({
    "model", "note", "iphone", "galaxy", "pixel", "mate", "series", "mk", "mark", "gen", "generation", "version",
    "type", "class", "chapter", "section", "article", "phase", "level", "stage", "tier", "fortune", "windows", "ios",
    "android", "hyperos", "miui", "redmi", "poco", "xiaomi", "huawei", "honor", "oppo", "vivo", "aito", "zeekr",
    "han", "seal", "tang", "song", "qin", "yuan", "dolphin", "atto", "nio", "es", "et", "ec", "ep", "xpeng", "p", "g",
    "li", "mona", "civic", "golf", "id", "ioniq", "ev", "ix", "i", "su", "yu", "model y", "studio", "room", "route",
    "highway", "gate", "terminal", "platform", "line", "lines", "group", "week", "day", "round", "game", "season",
    "volume", "vol", "issue", "part", "page", "figure", "table", "appendix", "item", "rule", "bill", "act", "covid",
    "top", "no", "number", "rank", "ranked", "step", "index", "f", "a", "e", "s", "x", "t",
})
"""Capitalised words after which a small number is a name or a label ('Model 3', 'Chapter 11')."""

NOT_MODEL_PREFIX = frozenset({
    "the", "in", "on", "at", "by", "to", "from", "of", "for", "with", "about", "over", "under", "some", "nearly",
    "almost", "just", "only", "around", "roughly", "approximately", "more", "less", "up", "down", "and", "or",
    "but", "than", "all", "its", "their", "his", "her", "our", "my", "your", "this", "that", "these", "those",
    "after", "before", "since", "until", "between", "within", "across", "per", "each", "every", "another",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "sold", "delivered", "reached", "hit", "saw", "had", "has", "recorded", "posted", "shipped", "produced",
    "below", "above", "exceeding", "least", "most", "than", "than", "were", "was", "is", "are", "be",
})

NON_ENTITY_WORDS = frozenset({
    "the", "a", "an", "in", "on", "at", "by", "to", "from", "of", "for", "with", "and", "or", "but", "if", "as",
    "it", "its", "they", "their", "we", "our", "i", "you", "he", "she", "his", "her", "this", "that", "these",
    "those", "there", "here", "when", "while", "why", "how", "what", "which", "who", "where", "after", "before",
    "since", "until", "between", "according", "meanwhile", "however", "also", "still", "yet", "so", "then",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "china", "chinese", "beijing", "shanghai", "shenzhen", "guangzhou", "hangzhou", "hefei", "wuhan", "europe",
    "european", "us", "u.s.", "usa", "america", "american", "germany", "german", "japan", "japanese", "korea",
    "hong", "kong", "india", "uk", "britain", "british", "france", "norway", "asia", "global", "world",
    "ev", "evs", "nev", "nevs", "bev", "phev", "erev", "suv", "suvs", "adas", "noa", "ai", "ceo", "cfo", "cto",
    "q1", "q2", "q3", "q4", "h1", "h2", "yoy", "qoq", "mom", "cpca", "caam", "miit", "reuters", "bloomberg",
    "cnevpost", "xinhua", "cnbc", "nhtsa", "iea", "data", "sales", "deliveries", "revenue", "shares", "according",
    "analysts", "analyst", "investors", "consumers", "buyers", "customers", "people", "year", "quarter", "month",
    "one", "two", "three", "first", "second", "third", "last", "next", "new", "total", "overall", "combined",
    "both", "each", "all", "some", "many", "most", "more", "less", "over", "under", "about", "around", "nearly",
    "almost", "just", "only", "even", "not", "no", "yes", "mr", "ms", "mrs", "dr", "inc", "corp", "ltd", "co",
    "company", "market", "share", "price", "prices", "series", "overseas", "domestic", "international",
    "export", "exports", "foreign", "local", "retail", "wholesale", "day", "week", "top", "hot", "take", "quick",
    "compare", "remember", "fast", "forward", "own", "wild", "source", "sources", "report", "reports", "media",
    "chief", "executive", "president", "chairman", "founder", "spokesperson", "spokesman", "spokeswoman",
    "electric", "vehicle", "vehicles", "car", "cars", "automaker", "carmaker", "brand", "brands",
})
"""Capitalised words that never start an unknown entity's name."""

SOURCE_BODY = re.compile(
    r"(?i)^(?:the\s+)?(?:china\s+)?(?:passenger\s+car\s+association|association\s+of\s+automobile\s+manufacturers|"
    r"ministry\s+of\s+industry(?:\s+and\s+information\s+technology)?|state\s+administration\s+for\s+market\s+regulation|"
    r"(?:cpca|caam|miit|samr)(?:\s+data)?|[a-z ]*\s+association|[a-z ]*\s+ministry)$"
)
"""Industry bodies, regulators and ministries: they publish figures and are never their subject."""

_SUBTYPE = (
    r"(?:commercial\s+vehicles?|buses|bus|trucks?|vans?|pickups?|heavy[\s-]duty|"
    r"bevs?|phevs?|erevs?|plug-in\s+hybrids?|hybrids?|pure[\s-]electric|battery[\s-]electric|all[\s-]electric|"
    r"range[\s-]extended|fully\s+electric)"
)

VEHICLE_SUBTYPE_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])" + _SUBTYPE + r"(?:\s+(?:vehicle|car))?\s+(?:sales|deliveries|shipments|volumes?)"
    r"(?:\s+(?:were|was|of|at|reached|totalled|totaled|rose|fell|hit|came\s+in\s+at|stood\s+at))?\s*[:,]?\s*$"
)
"""Before a volume figure: the kind of vehicle it counts ('commercial vehicle sales were 4,092')."""

VEHICLE_SUBTYPE_AFTER = re.compile(
    r"(?i)\s*(?:units?\s+of\s+)?(?:[A-Za-z-]+\s+){0,2}?(?:new[\s-]energy\s+|nev\s+)?(?:commercial\s+vehicles?|buses|bus|trucks?|vans?|pickups?|heavy[\s-]duty|"
    r"bevs?|phevs?|erevs?|plug-in\s+hybrids?|hybrids?|pure[\s-]electric|battery[\s-]electric|all[\s-]electric|"
    r"range[\s-]extended|fully\s+electric)(?![A-Za-z])"
)
"""After a volume figure: a kind of vehicle narrower than a maker's total ('4,092 commercial vehicles', '495,570 BEVs')."""

SEGMENT_REVENUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:vehicle\s+sales|car\s+sales|automotive|auto|vehicle|other\s+sales|services|service|smartphones?|handsets?|iot|internet|advertising|"
    r"segment|division|business)(?:\s+and\s+[a-z]+)?\s+revenues?(?![A-Za-z])|revenues?\s+from\s+(?:vehicle\s+sales|"
    r"other\s+sales|services|smartphones?|its\s+[a-z]+\s+(?:segment|division|business))"
)
"""Revenue of one part of a company ('vehicle sales revenue'), not its total."""

GOAL_WORDS = re.compile(
    r"(?i)(?<![A-Za-z])(?:aim(?:s|ed|ing)?|target(?:s|ed|ing)?|goal|projection|projected|plan(?:s|ned)?|expect(?:s|ed)?|"
    r"forecast|guidance|guided|hop(?:es|ed)|intend(?:s|ed)?|seek(?:s|ing)?|sought)(?![A-Za-z])"
)
"""Words that present a figure as a goal, not as what happened."""

MARKET_CUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:passenger\s+car\s+association|cpca|caam|association\s+of\s+automobile\s+manufacturers|"
    r"(?:nev|new[\s-]energy(?:\s+vehicle)?|ev|electric[\s-]vehicle|passenger[\s-](?:car|vehicle))\s+market|"
    r"nationwide|across\s+China|(?:the\s+)?(?:whole|overall|entire)\s+(?:market|industry)|industry[\s-]wide|"
    r"penetration(?:\s+rate)?|"
    # the whole of a kind of vehicle, counted: 'retail sales of new energy passenger vehicles', 'NEV sales in China'
    r"(?:sales|production|output|exports?|wholesales?|retail(?:\s+sales|\s+volume)?|volume)\s+of\s+(?:all\s+)?"
    r"(?:new[\s-]energy|nev|electric)\s+(?:passenger\s+)?(?:vehicles|cars)|"
    r"(?:sales|production|output|exports?|wholesales?|retail(?:\s+sales|\s+volume)?|volume)\s+of\s+(?:all\s+)?passenger\s+(?:vehicles|cars)|"
    r"(?:nev|new[\s-]energy(?:\s+passenger)?(?:\s+vehicle)?)\s+(?:sales|retail|production|exports|wholesale)\s+in\s+China|"
    r"(?:nev|new[\s-]energy)(?:\s+passenger)?(?:\s+(?:vehicle|car))?\s+(?:wholesale|retail|sales|production|export)\s+volumes?)"
    r"(?![A-Za-z])"
)
"""Words that put a figure no company is named for on a market: 'NEV retail sales, according to the CPCA'."""

MARKET_NEV_WORDS = re.compile(r"(?i)(?<![A-Za-z])(?:nevs?|new[\s-]energy|electric|evs?|plug-in|phevs?|bevs?)(?![A-Za-z])|新能源")
"""In a market figure's sentence: new-energy vehicles, not all passenger cars."""

UNKNOWN_ENTITY_PREFIX = re.compile(
    r"(?i)(?<![A-Za-z])(?:sales|deliveries|shipments|revenue|orders|registrations|shares|stock)\s+(?:at|of|from|for|by)\s+$"
)
"""Before a capitalised name: 'sales at Zeekr', 'deliveries from Aito'."""

UNKNOWN_ENTITY_CUE = re.compile(
    r"(?i)(?:'s|’s)?\s+(?:[a-z]+\s+){0,2}?(?:delivered|delivers|sold|sells|shipped|ships|reported|reports|posted|"
    r"posts|recorded|records|produced|produces|closed|closing|closes|opened|opening|raised|raises|cut|cuts|"
    r"recalled|recalling|recalls|booked|moved|handed|built|aims|targets|deliveries|sales|revenue|revenues|"
    r"shares|stock|orders|market\s+share|share|saw|sees|expects|expected|registered|logged|racked|brand|marque|"
    r"subsidiary|led|outsold|topped)(?![A-Za-z])"
    r"|,?\s+(?:which\s+|that\s+)?(?:now\s+|still\s+|only\s+)?(?:starts|start|costs|cost|is\s+priced|priced|sells|sell|"
    r"retails|goes|go|fetches|lists)(?![A-Za-z])"
    r"|\s+(?:at|for)\s+(?:(?:around|about|roughly|some|just|only|under|over)\s+)?(?:US\$|HK\$|RMB\s?|\$|€|£|¥)?\s?\d"
    r"|\s+to\s+(?:US\$|HK\$|RMB\s?|\$|€|£|¥)\s?\d|\s+to\s+\d[\d,.]*\s*(?:yuan|元|dollars|euros)"
    r"|\s*\([A-Z]{2,5}(?:[:.][A-Z]{1,4})?\)"
    r"|\s+(?:Inc|Corp|Corporation|Co|Ltd|Limited|Group|Motors|Motor|Auto|Automobile|Automotive|Holdings|"
    r"Technologies|Technology|AG|SE|plc|NV|SA|LLC)\b"
)
"""After a capitalised name: what shows it is a company that reports figures."""

PROPER_RUN_RE = re.compile(
    r"(?=[A-Zie])(?<![\w&'’.-])(?:[A-Z]|[ie](?=[A-Z]))[A-Za-z0-9&'’.+-]{0,30}"
    r"(?:(?:\s+|\s*&\s*)(?:(?:[A-Z]|[ie](?=[A-Z]))[A-Za-z0-9&'’.+-]{0,30}|\d{1,4}(?:[A-Za-z+]{0,4})(?![\d,.]))){0,4}"
)
"""A run of capitalised words (bounded, so adversarial input stays linear)."""


GUIDANCE_VERB = re.compile(
    r"(?i)(?<![A-Za-z'’-])(?:expects?|expecting|expected\s+to|guides?|guided|guiding|sees|seeing|forecasts?|forecasting|"
    r"projects?|projecting|anticipates?|anticipating|aims?|aiming|plans?|planning|targets?|targeting|hopes?\s+to|"
    r"intends?\s+to|is\s+on\s+track\s+to)(?![A-Za-z])"
)
"""Words that make the number after them guidance or an aim ('expects Q4 deliveries of…', 'aims to hand over…')."""

ACTUAL_VERB = re.compile(
    r"(?i)(?<![A-Za-z])(?:delivered|sold|handed|shipped|reported|posted|recorded|registered|produced|built|achieved|"
    r"reached|hit|logged|booked|was|were|had)(?![A-Za-z])"
)
"""Past-tense verbs between a guidance word and a number: the number is an actual ('plans …, it delivered …')."""

SERIES_WORDS: dict[str, re.Pattern[str]] = {
    "exports": re.compile(r"(?i)(?<![A-Za-z])(?:export(?:s|ed|ing)?|shipped\s+(?:abroad|overseas))(?![A-Za-z])"),
    "wholesale": re.compile(r"(?i)(?<![A-Za-z])(?:wholesales?|shipments?|shipped(?!\s+(?:abroad|overseas)))(?![A-Za-z])"),
    "retail": re.compile(r"(?i)(?<![A-Za-z])retail(?![A-Za-z])"),
    "insurance_registrations": re.compile(r"(?i)(?<![A-Za-z])(?:insurance\s+)?(?:registrations?|registered)(?![A-Za-z])"),
}
"""Words that name the series a volume figure counts (see ``catalog.SERIES``). Deliveries have none of
their own: writers say 'delivered' of retail sales too."""

FORECASTER_WORDS = re.compile(
    r"(?i)(?<![A-Za-z])(?:analysts?|brokerages?|estimates?|estimated|consensus|forecasters?|researchers?|"
    r"Morgan\s+Stanley|Goldman(?:\s+Sachs)?|J\.?P\.?\s*Morgan|Citi(?:group)?|UBS|Nomura|Jefferies|Deutsche\s+Bank|"
    r"Bernstein|HSBC|CICC|Macquarie|Barclays|BofA|Bank\s+of\s+America|Daiwa|Mizuho|CLSA|Counterpoint|Canalys|"
    r"Rho\s+Motion|BloombergNEF|BNEF)(?![A-Za-z])"
)
"""People and firms whose numbers for a company's year are forecasts, not the company's own target."""

PENETRATION_WORDS = re.compile(r"(?i)(?<![A-Za-z])penetration(?![A-Za-z])|渗透率")
"""A share that is the market's own: new-energy vehicles' share of all cars sold ('penetration rate')."""
