"""Every on-screen sentence, keyed by id, in English and Chinese.

The Chinese wording follows the two videos the story retells (docs/STORYBOARD.md) wherever
they say it; the English is a faithful rendering. Ids start with the shot they belong to
(r1_..., l3_...); short labels used inside a picture start with "label_". The RNN captions
write subscripts in Unicode (Sₜ₋₁, Wᵢₙ) so plain text reads like the formulas (subtitles
too); on screen they are drawn as real glyphs large enough to read (scenes/subscripts.py).

A Chinese caption marks with "^" where a line may break between two words (Chinese has no
spaces): scenes/linebreak.py breaks lines only there and after closing punctuation, so no
line breaks inside a word. Each caption fits two lines (tests/test_captions_zh.py).
"""

from __future__ import annotations

from rnncore import RnnError

from .linebreak import BREAK

LANGS = ("en", "zh")
MARK = "^"  # in a caption's text: a line may break here (turned into linebreak.BREAK)

CAPTIONS: dict[str, dict[str, str]] = {
    # R1 a plain network
    "r1_network": {
        "en": "A simple network: the input layer x feeds the hidden neurons s, which give the "
        "output y. Adjusting the weights Wᵢₙ and Wₒᵤₜ is how it learns.",
        "zh": "简单的^神经网络^一般^这样，输入层x^进入^隐藏层^神经元s，再^经过^输出^"
        "产生^最后的^结果y，通过^调整^权重Wᵢₙ和Wₒᵤₜ^就可以^实现^学习的^效果。",
    },
    "r1_forward": {
        "en": "One forward pass of the trained model: the input lights up, signals run along the "
        "links, the hidden neurons fill with their activations, the output predicts.",
        "zh": "训练好的^模型^做一次^前向计算：输入^点亮，信号^沿连线^传递，隐藏层^神经元^"
        "填入^激活值，输出^给出^预测。",
    },
    "r1_formula": {
        "en": "One neuron computes Sᵢ = f(sum of w x + b); for the whole layer, in matrix form, "
        "S = f(Wᵢₙ X + b).",
        "zh": "对^神经元^模型，隐藏层^输出是^Sᵢ = f(Σ w·x + b)，写成^"
        "矩阵形式^就是^S = f(Wᵢₙ·X + b)。",
    },
    # R2 deeper, not longer
    "r2_deeper": {
        "en": "Deep networks usually grow layer by layer, as CNNs do: more hidden layers, but no "
        "layer looks at how it changes over time.",
        "zh": "通常情况下，深度^神经网络^都是^沿层的^方向^延伸的，比如^卷积神经网络CNN，"
        "隐藏层^数量^多了，但是^没有^考虑^单个隐层^在时间上的^时序变化。",
    },
    "r2_time": {
        "en": "An RNN is different: it follows how every hidden neuron grows and changes "
        "along time.",
        "zh": "RNN^则不同，它^关注^隐层^每个^神经元^在时间维度上的^不断^成长与进步。",
    },
    # R3 turn to 3D
    "r3_turn": {
        "en": "Turn to a 3D view: the structure stays the same and no neurons are added, but the "
        "network recurs along the time axis.",
        "zh": "变换一下^3D的^视角，网络结构^不变，没有^添加^新的^神经元，但是^沿着^"
        "时间轴^recurrent，也就是^重复，建立^时序上的^关联。",
    },
    "r3_copies": {
        "en": "These are not new neurons: each copy is the same hidden layer at another moment, "
        "coloured by its own state Sₜ.",
        "zh": "这里的^层级扩展^并非^神经元数量的^真实增加，而是^表示^隐层^在不同时刻的^状态。",
    },
    # R4 links through time
    "r4_dense": {
        "en": "Depending on the problem, the links through time can be fully connected: every "
        "neuron to every neuron.",
        "zh": "根据^问题的^需要，隐层的^时间关联^既可以是^全连接式的，所有线^都相连。",
    },
    "r4_self": {
        "en": "Or each neuron can be linked only to itself.",
        "zh": "但^也可以是^自己对自己。",
    },
    "r4_shared": {
        "en": "Call the weight matrix between moments Wₛ. An RNN shares one Wₛ across all "
        "moments, which keeps the number of parameters small.",
        "zh": "假如^用Wₛ来表示^层级间的^权重矩阵，RNN^通常会^假定^不同的层，其实^"
        "也就是^不同的时刻，共享^一个Wₛ，这样^可以^有效地^减少^训练参数。",
    },
    # R5 the equation
    "r5_plain": {
        "en": "A plain hidden layer computes S = f(Wᵢₙ X + b).",
        "zh": "写成^矩阵形式，隐藏层^输出^就是^S = f(Wᵢₙ·X + b)。",
    },
    "r5_rnn": {
        "en": "For an RNN it becomes Sₜ = f(Wᵢₙ X + Wₛ Sₜ₋₁ + b): one more term, Wₛ Sₜ₋₁.",
        "zh": "对RNN而言^输出^就变成了^Sₜ = f(Wᵢₙ X + Wₛ Sₜ₋₁ + b)，多了^一项^Wₛ Sₜ₋₁。",
    },
    "r5_memory": {
        "en": "It ties the hidden layer at t-1 to the one at t: the network gains a kind of "
        "memory. Here are one step's real numbers.",
        "zh": "这样^就建立了^隐层^在t-1时刻^和t时刻之间的^一种^迭代关系，换言之，就是^"
        "让^神经网络^有了^某种^记忆的能力。",
    },
    # R6 iterate
    "r6_iterate": {
        "en": "Step by step: xₜ and Sₜ₋₁ give Sₜ, and Sₜ gives the output yₜ.",
        "zh": "逐步迭代：xₜ和Sₜ₋₁^一起^得到Sₜ，Sₜ^再得到^输出yₜ。",
    },
    "r6_cascade": {
        "en": "It looks like a cascade, but it is one network iterated through time: that is "
        "how an RNN learns from sequences.",
        "zh": "RNN^本质上^就是^用这样^一种^看似是级联，但实际上^却是^沿着时序，"
        "反复迭代的^网络结构，实现了^对^序列数据的^学习。",
    },
    # labels inside the pictures
    "label_state": {"en": "state S, weight / max |W|", "zh": "状态 S，权重 / max |W|"},
    "label_prob": {"en": "input, probability", "zh": "输入，概率"},
    "label_value": {"en": "value / max |value|", "zh": "数值 / max |数值|"},
    "label_input": {"en": "input", "zh": "输入"},
    "label_input_some": {"en": "input, {shown} of {total}", "zh": "输入（{total}个中的{shown}个）"},
    "label_prediction": {"en": "prediction", "zh": "预测"},
    # R6's prediction row of rnn3d's own model on a CSV: the next step's value of a feature
    "label_next": {"en": "next {name}", "zh": "下一步{name}"},
    "label_target": {"en": "target", "zh": "目标"},
    "label_units": {"en": "{shown} of {total} units shown", "zh": "显示{total}个单元中的{shown}个"},
    "label_top": {
        "en": "top of {n} layers: x is layer {below}'s state",
        "zh": "{n}层中的最上层：x是第{below}层的状态",
    },
    "label_shared": {
        "en": "Wₛ: {n}×{n} = {count} weights, the same on all {gaps} links through time",
        "zh": "Wₛ：{n}×{n} = {count}个权重，{gaps}段时间连接共用",
    },
    "label_shared_one": {  # a window of two steps: one link
        "en": "Wₛ: {n}×{n} = {count} weights, on the one link through time",
        "zh": "Wₛ：{n}×{n} = {count}个权重，用在唯一的时间连接上",
    },
    "label_time": {"en": "time", "zh": "时间"},
    # ---- Part 2: LSTM (shots L1-L6) ----
    # L1 short memory
    "l1_short": {
        "en": "A plain RNN struggles with time series: it links each moment only to the one "
        "before, a short memory.",
        "zh": "传统的RNN^对^时间序列的^预测^捉襟见肘，它^虽然^建立了^不同时刻^"
        "隐藏层之间的^联系，实现了^记忆效果，但^只是^基于^前一时刻，是一种^"
        "short-memory。",
    },
    # what the bars show (the whole sequence up to T measured, story_lstm.Fade); "_here": the
    # RNN is trained here, the LSTM is the user's
    "l1_fades": {
        "en": "Bars: how much the RNN's last state still depends on each earlier one. It "
        "fades: {near:.2f} one step back, {far} {back} steps back.",
        "zh": "柱高是^训练好的RNN的^真实敏感度：最后的状态^还在^多大程度上^依赖^前面的^"
        "每个时刻。它^在衰减：往前1步^是{near:.2f}，往前{back}步^只剩{far}。",
    },
    "l1_fades_here": {
        "en": "For comparison, an RNN trained here (not your model): its dependence on earlier "
        "states fades, {near:.2f} one step back, {far} {back} steps back.",
        "zh": "作为对比，这是^在同样数据上^现场训练的RNN，不是^你的模型：柱高是^它的^"
        "真实敏感度。它^在衰减：往前1步^是{near:.2f}，往前{back}步^只剩{far}。",
    },
    "l1_flat": {
        "en": "Bars: how much the RNN's last state still depends on each earlier one. It "
        "does not fade: {back} steps back, still {share:.0%} of the {near:.2f} one step back.",
        "zh": "柱高是^训练好的RNN的^真实敏感度：最后的状态^还在^多大程度上^依赖^前面的^"
        "每个时刻。它^没有衰减：往前{back}步^仍是^往前1步^（{near:.2f}）的^{share:.0%}。",
    },
    "l1_flat_here": {
        "en": "For comparison, an RNN trained here (not your model): it does not fade, "
        "{back} steps back {share:.0%} of the {near:.2f} one step back.",
        "zh": "作为对比，这是^在同样数据上^现场训练的RNN，不是^你的模型：柱高是^它的^"
        "真实敏感度。它^没有衰减：往前{back}步^仍是^往前1步^（{near:.2f}）的^{share:.0%}。",
    },
    # T = 1: one step back only, which cannot show whether the dependence fades
    "l1_one": {
        "en": "Bars: how much the RNN's last state still depends on each earlier one. Here "
        "there is one: {near:.2f}. A later window shows whether it fades.",
        "zh": "柱高是^训练好的RNN的^真实敏感度：最后的状态^还在^多大程度上^依赖^前面的^"
        "每个时刻。这里^只有^往前1步：{near:.2f}。窗口^更靠后^才能看出^它^是否^衰减。",
    },
    "l1_one_here": {
        "en": "For comparison, an RNN trained here (not your model): its last state depends "
        "{near:.2f} on the one before. A later window shows whether it fades.",
        "zh": "作为对比，这是^在同样数据上^现场训练的RNN，不是^你的模型：它的^最后状态^"
        "对^前1步的^依赖^是{near:.2f}。窗口^更靠后^才能看出^它^是否^衰减。",
    },
    "l1_alone": {
        "en": "Bars would show how much the last state depends on earlier ones, but here it "
        "is the sequence's first: there is nothing before it.",
        "zh": "柱高^本应^显示^最后的状态^对^前面^每个时刻的^依赖，但^这里^它^就是^"
        "序列的^第一个：前面^什么也没有。",
    },
    "l1_alone_here": {
        "en": "For comparison, an RNN trained here (not your model): its last state here is "
        "the sequence's first, with nothing before it to depend on.",
        "zh": "作为对比，这是^在同样数据上^现场训练的RNN，不是^你的模型。这里^它的^"
        "最后状态^就是^序列的^第一个：前面^什么也没有。",
    },
    # L2 a second chain
    "l2_chain": {
        "en": "An LSTM adds a second chain through time, C, for long-term memory, and links the "
        "two chains at every step. The new chain is like a diary.",
        "zh": "与RNN相比，LSTM^增加了^一条^新的^时间链C，记录^"
        "long-term memory，并且^在两条链间^建立了^关联。新增的链条^"
        "就相当于^记事的^日记本。",
    },
    "l2_state": {
        "en": "At step t, computing the hidden state Sₜ now takes, besides the input and the "
        "previous moment, today's diary Cₜ.",
        "zh": "以t时刻为例，和RNN相比，计算^隐层状态Sₜ时，除了^输入和^前一时刻，还要^"
        "包含^当前时刻的^日记信息Cₜ。",
    },
    # L3 zoom into one step
    "l3_zoom": {
        "en": "Zoom into the link between Sₜ and Cₜ: one line splits into three, two finer "
        "steps: erase old entries, write new ones.",
        "zh": "放大^Sₜ和Cₜ间的^关联，一条线^拆成了^三条线，其中^包含^两步^更加细致的^"
        "操作，删除^旧日记，增添^新日记。",
    },
    "l3_eraser": {
        "en": "First f₁, an eraser: from memory sₜ₋₁ and input xₜ, a sigmoid between 0 and 1 "
        "scales each diary entry, near 0 wiping it out: the forget gate.",
        "zh": "首先，f₁^就像^橡皮擦，根据^昨天的记忆sₜ₋₁^和^今天的输入xₜ，决定^修改^"
        "日记中的^哪些记录。sigmoid^取值^在0-1之间，抹掉^近零的^元素，即^"
        "forget gate。",
    },
    "l3_pencil": {
        "en": "Then f₂, a pencil: from the same two it decides what to add to the diary; tanh, "
        "between -1 and 1, sums up rather than forgets: the input gate.",
        "zh": "然后，f₂^就像^铅笔，根据^昨天的^记忆^和^今天的^输入，决定^在^日记本上^"
        "增加^哪些记录。tanh^取值^在-1到1之间，不是^遗忘，而是^梳理^这两天的事，"
        "即^input gate。",
    },
    # L4 the new diary
    "l4_update": {
        "en": "Erase with the eraser, then write with the pencil: together, "
        "cₜ = f₁ * cₜ₋₁ + f₂. These are this step's real numbers.",
        "zh": "先用橡皮^在日记本上^删减，再用铅笔^增加记录，两步^合起来^就是^"
        "cₜ = f₁ * cₜ₋₁ + f₂。这是^这一步的^真实数值。",
    },
    "l4_flow": {
        "en": "The new diary cₜ goes on along C and updates the short-term memory "
        "sₜ = oₜ * tanh(cₜ), which gives the output yₜ: the two chains update each "
        "other.",
        "zh": "这样^就得到了^新的日记cₜ，它^继续^往下传递，同时^用来^更新^当前的^"
        "短期记忆sₜ，再^计算出^输出yₜ：短期记忆链sₜ^和^长期记忆链cₜ^相互更新。",
    },
    # L5 back to the textbook
    "l5_turn": {
        "en": "Turn the 3D model by 90 degrees, stretch it, project the chain C onto the "
        "plane, open out the links between the chains: the classic LSTM diagram.",
        "zh": "把3D模型^旋转90度，拉伸变形，然后^把^长期记忆链C^投影到^平面上，再^扩展^"
        "长短期记忆链间的^关联，就^对应上^经典LSTM示图了。",
    },
    "l5_hard": {
        "en": "The diagram is hard to read because it shows 3D information flat, so things "
        "overlap, and it puts every detail on at once.",
        "zh": "这个图^之所以^难懂，主要是^因为^它^用二维视角^看^三维信息，产生了^重叠，"
        "而且^一下子^摆上了^太多的细节，极大地^增加了^初学者的^理解难度。",
    },
    # L6 training
    "l6_train": {
        "en": "An LSTM has more weight matrices than an RNN, so it is harder to train, but "
        "gradient descent still works. This is the real training run of this model.",
        "zh": "和RNN相比，LSTM^引入了^更多的^参数矩阵，因此^训练起来^麻烦一些，但^"
        "依然可以^用^梯度下降算法^进行。这是^这个模型^真实的^训练过程。",
    },
    "l6_train_here": {
        "en": "With more weight matrices than an RNN, an LSTM is harder to train, yet "
        "gradient descent works. Without your history, this one was trained here.",
        "zh": "和RNN相比，LSTM^引入了^更多的^参数矩阵，训练起来^麻烦一些，但^依然可以^"
        "用^梯度下降。你的权重^没有^训练记录：这里是^在同样数据上^现场训练的LSTM。",
    },
    "l6_gates": {
        "en": "As the loss falls, the gates learn to open and close: the LSTM attends to the "
        "important parts of the sequence and ignores the rest.",
        "zh": "LSTM^在某种程度上^模拟了^大脑，关注^重要片段，而^忽略^无关信息。",
    },
    "label_sensitivity": {"en": "sensitivity / max", "zh": "敏感度 / 最大值"},
    "label_input_sensitivity": {
        "en": "input x;  bars: sensitivity / max",
        "zh": "输入x；柱：敏感度 / 最大值",
    },
    "label_cell": {"en": "state S, C (tanh range)", "zh": "状态 S、C（tanh范围）"},
    "label_gate": {"en": "gate value", "zh": "门的取值"},
    "label_gate_mean": {
        "en": "box values: mean over the units",
        "zh": "框中数值：各单元的平均值",
    },
    "label_forget_links": {"en": "C links: forget gate fₜ", "zh": "C链连线：遗忘门fₜ"},
    "label_forget_short": {"en": "C links: fₜ", "zh": "C链连线：fₜ"},
    "label_input_x": {"en": "input x", "zh": "输入x"},
    "label_y_prob": {"en": "y: probability", "zh": "y：概率"},
    "label_y_norm": {"en": "y / max |y|", "zh": "y / max |y|"},
    "label_diary": {"en": "diary", "zh": "日记本"},
    "label_loss": {"en": "loss", "zh": "损失"},
    "label_loss_log": {"en": "loss (log scale)", "zh": "损失（对数刻度）"},
    "label_unit": {"en": "unit", "zh": "单元"},
    "label_train_step": {"en": "training step", "zh": "训练步数"},
    "label_step_loss": {
        "en": "training step {step} of {steps}   loss {loss:.4f}",
        "zh": "训练第{step}步，共{steps}步   损失 {loss:.4f}",
    },
    # L6's note under the readout, in two lines of the plot's width at most
    "label_no_history": {
        "en": "an LSTM trained here on the same data, not your model (--history FILE shows yours)",
        "zh": "在同样数据上^现场训练的LSTM，不是^你的模型^（--history FILE 显示你的）",
    },
    "label_loss_only": {
        "en": "your model's loss; its history has no weight snapshots: the gates "
        "are your final model's",
        "zh": "你的模型的损失；训练记录中^没有权重快照，门的取值^来自你的最终模型",
    },
    "label_rnn_here": {
        "en": "not your model: an RNN trained here, for comparison",
        "zh": "不是你的模型：现场训练的RNN，用于对比",
    },
    "label_zoom_step": {"en": "step t = {t}", "zh": "时刻 t = {t}"},
}


def caption_text(key: str, lang: str = "en", **fields: object) -> str:
    """The sentence with this id in this language, with {fields} filled in; where a line may
    break it holds linebreak.BREAK (invisible; linebreak.strip_breaks removes it)."""
    if lang not in LANGS:
        raise RnnError(f"unknown language {lang!r}: use en or zh")
    words = CAPTIONS[key][lang].replace(MARK, BREAK)
    return words.format(**fields) if fields else words
