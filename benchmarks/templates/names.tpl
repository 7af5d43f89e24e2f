# Name parts and filler phrases for the synthetic corpus (benchmarks/corpus.py).
# Everything here is invented or general vocabulary; nothing is taken from the
# seed reports. A section is "[name]" followed by items separated by white
# space or new lines; "#" starts a comment line.

# ------------------------------------------------------------------ people

[given]
# Characters of given names; a name is a surname (data/lexicon/surnames.txt)
# and one or two of these.
晓 立 雪 春 秋 冬 文 武 建 国 海 江 河 山 林 森 永 长 光 明 亮 辉 晨 曦 宇 航
嘉 怡 欣 悦 静 婷 慧 琳 璐 瑶 瑾 琪 蕾 薇 芸 萍 霞 红 艳 丽 娜 敏 捷 锐 斌
伟 强 刚 毅 勇 峰 岩 磊 鹏 鸿 飞 腾 骏 驰 哲 思 远 博 睿 智 谦 逸 然 凡 安
宁 康 泰 和 顺 祥 瑞 福 禄 德 仁 礼 信 义 忠 孝 良 善 诚 朴 素 清 澄 源 泉
溪 涛 浩 淼 沁 渊 洋 涵 灿 炜 煜 焕 照 晗 昀 昕 晖 旭 昊 晟 朗 彦 轩 铭 锦
钰 铮 铠 钧 铎 恺 悟 恒 怀 惠 懿 彬 彪 影 彤 桐 楠 榕 柏 松 杉 桦 枫 梧 竹

# ------------------------------------------------------------------ organisations

[trade]
茶叶 陶瓷 竹木 纺织服装 电子信息 新能源 五金机电 食品加工 中药材 建材 家具 物流
汽车零部件 不锈钢 光电 小家电 眼镜 箱包 灯饰 苗木花卉 水产 粮油 文化旅游 跨境电商
包装印刷 新材料 智能装备 生物医药 预制菜 乳制品 石材 塑料制品 玩具 鞋材 针织 刺绣

[chamber_tail]
商会 行业协会 产业协会 同业商会

[youth_chamber]
青年企业家商会 女企业家商会 新生代企业家商会 青年创业者协会

[brand]
# Two of these make an enterprise's brand (仁和, 宏晟 ...); pairs, not real firms.
宏 瑞 嘉 恒 泰 鑫 源 丰 达 盛 隆 锦 昌 兴 顺 德 创 越 通 凯 晟 禾 朗 拓 翔 骏
铭 昊 禧 润 蓝 正 佳 宸 亿 诺 冠 华 新 科 美 宜 康 安 利 益 远 航 峻 邦 炬

[business]
科技 实业 贸易 电子 新材料 食品 纺织 建设 药业 机械 智能装备 生物科技 农业发展
文化传媒 供应链 环保科技 光电 家居 服饰 陶瓷 包装 精密制造 茶业 酒业

[ent_ending]
有限公司 有限公司 有限公司 股份有限公司 集团有限公司 有限责任公司

[inst_tail]
产业研究院 技术研究院 职业技术学院 工程技术研究中心

[bureau]
税务局 市场监督管理局 民政局 商务局 司法局 人力资源和社会保障局 工业和信息化局
科学技术局 财政局 自然资源局 农业农村局 生态环境局

[party_tail]
党支部 党支部 党委 党总支

# ------------------------------------------------------------------ programmes, events, documents

[prog_stem]
# The quoted part of a programme's name.
青蓝接力 薪火传承 商会客厅 政企直通车 暖企护航 金融助企 法治护企 云上商会 同心共富
百会联百村 亲清会客厅 企业家之家 惠企政策进商会 诉求直通 商会服务驿站 双招双引
数智赋能 品牌出海 银企对接 产学研对接 链长制 商会信用 青商成长 乡贤回归

[prog_tail]
平台 品牌 机制 工程 行动 服务站 接待日 研修班 训练营

[team_tail]
服务团 专家服务团 志愿服务队 法律服务团

[prog_plan]
青商领航计划 新商启航计划 企业家培育计划 接班人培养计划 雏鹰计划 青苗计划

[mech]
# Unquoted mechanisms a body sets up (programmes in the ontology).
领导班子联系商会制度 商会联络员制度 企业诉求快速办理机制 商会季度例会制度
会员企业走访制度 涉企问题协调联席会议制度 商会规范化建设评估机制

[trade_event]
产业发展对接会 产品展销会 供需对接会 博览会 招商引资推介会
[local_event]
民营企业家恳谈会 银企对接洽谈会 人才招聘会 商会工作交流会 企业家峰会 高质量发展论坛

[doc_subject]
商会规范化建设 异地商会联络服务 民营企业诉求快速响应 商会会员企业信用评价 青年企业家培养
商会党建工作 行业商会自律公约 民营企业法律服务 商会年度考核 涉企政策宣传

[doc_kind]
三年行动方案 实施办法 工作规则 管理办法 实施意见 工作指引 考核细则

# ------------------------------------------------------------------ titles by the body they are held at

[title.fed]
副主席 常务副主席 专职副主席 秘书长 主席
[title.fedvice]
副主席 专职副主席 常务副主席
[title.fedchair]
主席
[title.fedparty]
党组书记 党组副书记
[title.ufd]
副部长 常务副部长 部长
[title.agency]
局长 副局长
[title.chamber]
会长 副会长 常务副会长 执行会长 秘书长 监事长
[title.chamberhead]
会长 执行会长 常务副会长
[title.chambersec]
秘书长 副秘书长
[title.party]
书记 副书记
[title.ent]
董事长 总经理 副总经理 创始人
[title.inst]
院长 副院长 主任

# ------------------------------------------------------------------ verbs (the role or what of a relation)

[verb.run]
推出 启动 打造 实施 创办 开设
[verb.host]
举办 主办 承办
[verb.issue]
印发 出台 制定 发布

# ------------------------------------------------------------------ report frame

[newspaper_tail]
民营经济报 工商导报 商会周刊 经济观察报

[column]
地方经济 商会动态 统战视窗 民营经济 基层实践 工商联工作

[slogan]
# Slogans in quotes: not entities.
三个到位 两个满意 一企一策 马上就办 有求必应 无事不扰 店小二 娘家人 四个一
三服务 零距离 一站式 面对面 心连心

# ------------------------------------------------------------------ invented townships

[town_first]
青 石 枫 柳 桃 梅 竹 松 杏 荷 凤 鹤 云 金 银 白 黄 丰 东 西 南 北 新 大 小 上 下 清
[town_second]
溪 泉 湖 塘 桥 坪 岭 岗 埠 港 湾 田 林 坝 口 川 源 洲 阳 峪
[town_suffix]
镇 镇 镇 乡
