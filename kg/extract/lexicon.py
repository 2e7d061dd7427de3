"""The trigger words of the extraction rules, in one place.

``cues.py`` (which names a role introduces) and ``relations.py`` / ``rules.py`` (which facts a
word gives) read the same lists, so a new role or verb is one line here.  Words are plain
strings; ``alt`` turns a list into a regex alternation, longest first so that ``联合创始人``
wins over ``创始人``.
"""
from __future__ import annotations

import re
from functools import cache


@cache
def alt(*groups: tuple[str, ...]) -> str:
    words = sorted({w for g in groups for w in g}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


# ---------------------------------------------------------------- roles of people
FOUNDER_ROLES = ("联合创始人", "共同创始人", "创始人", "创办人", "联合创办人", "共同创办人", "联创", "发起人")
CEO_ROLES = ("CEO", "首席执行官", "执行长")
# every other role a person holds at an organization: worksFor
STAFF_ROLES = ("首席科学家", "首席技术官", "首席技术长", "首席架构师", "首席运营官", "首席财务官", "首席营销官",
               "CTO", "COO", "CFO", "CMO", "CSO", "CPO", "总裁", "副总裁", "高级副总裁", "董事长", "副董事长", "董事",
               "总经理", "副总经理", "合伙人", "管理合伙人", "创始合伙人", "科学家", "研究员", "工程师", "总工程师",
               "架构师", "产品经理", "员工", "高管", "负责人", "掌门人", "总监", "主编", "记者", "编辑",
               "研究科学家", "技术专家", "专家", "教授", "副教授", "讲师", "院长", "副院长", "系主任", "主任",
               "部长", "总经理", "经理", "主管", "技术负责人", "执行董事", "董秘", "成员", "同事", "老兵",
               "天才少年", "实习生", "顾问", "首席AI科学家", "首席人工智能科学家", "掌舵人", "带头人",
               # Taiwan and Hong Kong titles
               "技术长", "营运长", "财务长", "行销长", "资讯长", "总经理特助")
# titles that follow an organization's name tightly ("出门问问创始人", "华为首席技术官"): a name
# before one of these is an organization even when no NER model knows it
HEAD_ROLES = ("首席科学家", "首席技术官", "首席技术长", "首席架构师", "CTO", "COO", "CFO", "CMO", "董事长", "总裁",
              "副总裁", "合伙人", "科学家", "研究员", "工程师", "总工程师", "产品经理")
# "首席安全科学家", "首席数据官": 首席 + a few characters + a role head
CHIEF_ROLE = r"首席[^\s，,、。⟦⟧（）()“”]{0,6}?(?:科学家|官|架构师|专家)"
DEGREES = ("博士后", "博士", "硕士", "本科", "学士", "毕业生", "校友", "研究生", "博士生")

# ---------------------------------------------------------------- verbs
FOUND_VERBS = ("创立", "创办", "创建", "成立", "创设", "发起", "一手打造")
FOUND_ADVERBS = ("联合", "共同", "一起", "一同", "一手", "亲手", "合伙")
JOIN_VERBS = ("加入", "加盟", "去了", "进入", "就职于", "任职于", "供职于", "入职", "投身", "执掌", "回归", "效力于",
              "转投")
LEAVE_VERBS = ("离职", "辞职", "出走", "离开", "卸任", "退出")
TAKE_ROLE_VERBS = ("出任", "担任", "就任", "接任", "升任", "晋升为", "晋升", "兼任", "现任", "曾任", "任", "成为")
STUDY_VERBS = ("毕业于", "就读于", "考入", "求学于", "师从于", "师从", "保送", "报考", "留学于", "深造于")
STUDY_NOUNS = ("读博", "读书", "攻读", "毕业", "学习", "求学", "读研", "深造", "录取", "留学") + DEGREES
LAUNCH_VERBS = ("发布", "推出", "开源", "研发", "开发", "训练", "做出", "搞出", "打造", "上线", "造出",
                "更新", "迭代", "放出", "亮相", "升级", "首发", "自研", "公布", "上新", "发")
ADOPT_VERBS = ("接入", "拥抱", "采用", "使用", "基于", "部署", "集成", "用上", "调用", "引入", "搭载",
               "植入", "融合", "融入", "适配", "支持", "内置", "接通", "跑通")
PARTNER_WORDS = ("战略合作", "合作", "联手", "携手", "结盟", "共建", "联合推出", "联合发布", "战略协议", "合作协议")
# words that set two named sides against each other
COMPETE_WORDS = ("竞争对手", "对手", "竞品", "对标", "PK", "pk", "抗衡", "较量", "比拼", "叫板", "对抗",
                 "威胁", "赶超", "追赶", "打擂", "掰手腕", "价格战", "围剿", "争夺", "对垒", "混战", "厮杀",
                 "抢人", "争抢", "抢", "之争", "竞争", "角逐", "挑战", "交锋", "鏖战", "同台竞技", "贴身肉搏")

# ---------------------------------------------------------------- investors (funding.py reads these)
INVESTOR_VERBS = ("联合领投", "领投", "跟投", "参投", "继续跟投", "追投", "加注", "加码", "投资", "注资",
                  "入股", "押注", "独家投资", "战略投资")
INVESTOR_NOUNS = ("领投方", "跟投方", "参投方", "投资方", "投资人", "投资者", "资方", "老股东", "新股东", "股东")

# ---------------------------------------------------------------- kinds of things
MODEL_KINDS = ("大模型", "模型", "基座模型", "语言模型", "大语言模型", "推理模型", "多模态模型", "基础模型",
               "视频生成模型", "生成模型", "开源模型", "基座大模型", "多模态大模型", "端侧模型", "世界模型")
PRODUCT_KINDS = ("平台", "产品", "应用", "App", "APP", "助手", "工具", "软件", "系统", "品牌", "硬件", "手表",
                 "搜索", "引擎", "芯片", "手机", "机器人", "智能体", "Agent", "搜索引擎")
