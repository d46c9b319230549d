"""Every on-screen sentence, keyed by id, in English and Chinese.

The Chinese wording follows the two videos the story retells (docs/STORYBOARD.md) wherever
they say it; the English is a faithful rendering. Ids start with the shot they belong to
(r1_..., l3_...); short labels used inside a picture start with "label_". The RNN captions
write subscripts in Unicode (Sₜ₋₁, Wᵢₙ) so plain text reads like the formulas.
"""

from __future__ import annotations

from rnncore import RnnError

LANGS = ("en", "zh")

CAPTIONS: dict[str, dict[str, str]] = {
    # R1 a plain network
    "r1_network": {
        "en": "A simple network: the input layer x feeds the hidden neurons s, which produce the "
        "output y. Adjusting the weights Wᵢₙ and Wₒᵤₜ is how it learns.",
        "zh": "简单的神经网络一般这样，输入层x进入隐藏层神经元s，再经过输出产生最后的结果y，"
        "通过调整权重Wᵢₙ和Wₒᵤₜ就可以实现学习的效果。",
    },
    "r1_forward": {
        "en": "One forward pass of the trained model: the input lights up, signals run along the "
        "links, the hidden neurons fill with their activations, the output predicts.",
        "zh": "训练好的模型做一次前向计算：输入点亮，信号沿连线传递，隐藏层神经元填入激活值，"
        "输出给出预测。",
    },
    "r1_formula": {
        "en": "One neuron computes Sᵢ = f(sum of w x + b); for the whole layer, in matrix form, "
        "S = f(Wᵢₙ X + b).",
        "zh": "对神经元模型，隐藏层输出是Sᵢ = f(Σ w·x + b)，写成矩阵形式就是S = f(Wᵢₙ·X + b)。",
    },
    # R2 deeper, not longer
    "r2_deeper": {
        "en": "Deep networks usually grow layer by layer, as CNNs do: more hidden layers, but no "
        "layer looks at how it changes over time.",
        "zh": "通常情况下，深度神经网络都是沿层的方向延伸的，比如卷积神经网络CNN，隐藏层数量多了，"
        "但是没有考虑单个隐层在时间上时序变化。",
    },
    "r2_time": {
        "en": "An RNN is different: it follows how every hidden neuron grows and changes "
        "along time.",
        "zh": "RNN则不同，它关注隐层每个神经元在时间维度上的不断成长与进步。",
    },
    # R3 turn to 3D
    "r3_turn": {
        "en": "Turn to a 3D view: the structure stays the same and no neurons are added, but the "
        "network recurs along the time axis.",
        "zh": "变换一下3D的视角，网络结构不变，没有添加新的神经元，但是沿着时间轴recurrent，"
        "也就是重复，建立时序上的关联。",
    },
    "r3_copies": {
        "en": "These are not new neurons: each copy is the same hidden layer at another moment, "
        "coloured by its own state Sₜ.",
        "zh": "这里的层级扩展并非神经元数量的真实增加，而是表示隐层在不同时刻的状态。",
    },
    # R4 links through time
    "r4_dense": {
        "en": "Depending on the problem, the links through time can be fully connected: every "
        "neuron to every neuron.",
        "zh": "根据问题的需要，隐层的时间关联既可以是全连接式的，所有线都相连。",
    },
    "r4_self": {
        "en": "Or each neuron can be linked only to itself.",
        "zh": "但也可以是自己对自己。",
    },
    "r4_shared": {
        "en": "Call the weight matrix between moments Wₛ. An RNN shares one Wₛ across all "
        "moments, which keeps the number of parameters small.",
        "zh": "假如用Wₛ来表示层级间的权重矩阵，RNN通常会假定不同的层，其实也就是不同的时刻"
        "共享一个Wₛ，这样可以有效地减少训练参数。",
    },
    # R5 the equation
    "r5_plain": {
        "en": "A plain hidden layer computes S = f(Wᵢₙ X + b).",
        "zh": "写成矩阵形式，隐藏层输出就是S = f(Wᵢₙ·X + b)。",
    },
    "r5_rnn": {
        "en": "For an RNN it becomes Sₜ = f(Wᵢₙ X + Wₛ Sₜ₋₁ + b): one more term, Wₛ Sₜ₋₁.",
        "zh": "对RNN而言输出就变成了Sₜ = f(Wᵢₙ X + Wₛ Sₜ₋₁ + b)，多了一项Wₛ Sₜ₋₁。",
    },
    "r5_memory": {
        "en": "It ties the hidden layer at t-1 to the one at t: the network gains a kind of "
        "memory. Here are one step's real numbers.",
        "zh": "这样就建立了隐层在t-1时刻和t时刻之间的一种迭代关系，换言之，"
        "就是让神经网络有了某种记忆的能力。",
    },
    # R6 iterate
    "r6_iterate": {
        "en": "Step by step: xₜ and Sₜ₋₁ give Sₜ, and Sₜ gives the output yₜ.",
        "zh": "逐步迭代：xₜ和Sₜ₋₁一起得到Sₜ，Sₜ再得到输出yₜ。",
    },
    "r6_cascade": {
        "en": "It looks like a cascade, but it is one network iterated through time: that is "
        "how an RNN learns from sequences.",
        "zh": "RNN本质上就是用这样一种看似是级联，但实际上却是沿着时序，反复迭代的网络结构，"
        "实现了对序列数据的学习。",
    },
    # labels inside the pictures
    "label_state": {"en": "state S, weight / max |W|", "zh": "状态 S，权重 / max |W|"},
    "label_prob": {"en": "input, probability", "zh": "输入，概率"},
    "label_value": {"en": "value / max |value|", "zh": "数值 / max |数值|"},
    "label_input": {"en": "input", "zh": "输入"},
    "label_prediction": {"en": "prediction", "zh": "预测"},
    "label_target": {"en": "target", "zh": "目标"},
    "label_units": {"en": "{shown} of {total} units shown", "zh": "显示{total}个单元中的{shown}个"},
    "label_shared": {
        "en": "Wₛ: {n}×{n} = {count} weights, the same on all {gaps} links through time",
        "zh": "Wₛ：{n}×{n} = {count}个权重，{gaps}段时间连接共用",
    },
    "label_time": {"en": "time", "zh": "时间"},
    # ---- Part 2: LSTM (shots L1-L6) ----
    # L1 short memory
    "l1_short": {
        "en": "A plain RNN struggles with time series: it links each moment only to the one "
        "before, a short memory.",
        "zh": "传统的RNN对时间序列的预测捉襟见肘，它虽然建立了不同时刻隐藏层之间的联系，"
        "实现了记忆效果，但只是基于前一时刻，是一种short-memory。",
    },
    "l1_fade": {
        "en": "The bars are the trained RNN's real sensitivity, the norm written above: how "
        "much the last state still depends on each earlier one. {back} steps back it is "
        "{first:.2f}, {ratio:.0%} of its {last:.2f} at T.",
        "zh": "柱高是训练好的RNN的真实敏感度（上面的范数）：最后的状态还在多大程度上依赖前面"
        "每个时刻。往前{back}步它是{first:.2f}，是T时刻{last:.2f}的{ratio:.0%}。",
    },
    "l1_fade_here": {
        "en": "For comparison, an RNN trained here on the same data, not your model: the bars "
        "are its real sensitivity, the norm written above. {back} steps back it is "
        "{first:.2f}, {ratio:.0%} of its {last:.2f} at T.",
        "zh": "作为对比，这是在同样数据上现场训练的RNN，不是你的模型：柱高是它的真实敏感度"
        "（上面的范数）。往前{back}步它是{first:.2f}，是T时刻{last:.2f}的{ratio:.0%}。",
    },
    # L2 a second chain
    "l2_chain": {
        "en": "An LSTM adds a second chain through time, C, for long-term memory, and links the "
        "two chains at every step. The new chain is like a diary.",
        "zh": "与RNN相比，LSTM增加了一条新的时间链，记录long-term memory，用C来表示，"
        "同时它增加了两条链间的关联关系。新增加的链条就相当于记事的日记本。",
    },
    "l2_state": {
        "en": "At step t, computing the hidden state Sₜ now takes, besides the input and the "
        "previous moment, today's diary Cₜ.",
        "zh": "以t时刻为例，和RNN相比，计算隐层状态Sₜ时，除了输入和前一时刻，"
        "还要包含当前时刻的日记信息Cₜ。",
    },
    # L3 zoom into one step
    "l3_zoom": {
        "en": "Zoom into the link between Sₜ and Cₜ: one line splits into three, two finer "
        "steps: erase old entries, write new ones.",
        "zh": "放大Sₜ和Cₜ间的关联，一条线拆成了三条线，其中包含两步更加细致的操作，"
        "删除旧日记，增添新日记。",
    },
    "l3_eraser": {
        "en": "First f₁ acts like an eraser: from yesterday's memory sₜ₋₁ and today's input "
        "xₜ it decides which diary entries to change. The sigmoid lies between 0 and 1; "
        "entries multiplied by values near 0 are wiped: the forget gate.",
        "zh": "首先，函数f₁就像是一块橡皮擦，根据昨天的记忆sₜ₋₁和今天的输入xₜ，决定要修改"
        "日记中的哪些记录。sigmoid函数取值在0-1之间，会抹掉那些取值为零的元素，相当于"
        "选择性遗忘部分记忆，因此也常常被称为forget gate。",
    },
    "l3_pencil": {
        "en": "Then f₂ acts like a pencil: again from yesterday's memory and today's input it "
        "decides what to add to the diary. tanh lies between -1 and 1: not forgetting, "
        "but summing up the two days: the input gate.",
        "zh": "然后，函数f₂就像是一支铅笔，再次根据昨天的记忆和今天的输入，决定要在日记本上"
        "增加哪些记录。tanh函数取值在-1到1之间，这步操作不是遗忘，而是相当于把这两天的"
        "事情进行梳理和归纳，因此也常常被称为input gate。",
    },
    # L4 the new diary
    "l4_update": {
        "en": "Erase with the eraser, then write with the pencil: together, "
        "cₜ = f₁ * cₜ₋₁ + f₂. These are this step's real numbers.",
        "zh": "先用橡皮在日记本上删减，再用铅笔在日记本上增加记录，两步操作合起来，"
        "用公式表示就是cₜ = f₁ * cₜ₋₁ + f₂。这是这一步的真实数值。",
    },
    "l4_flow": {
        "en": "The new diary cₜ goes on along C and updates the short-term memory "
        "sₜ = oₜ * tanh(cₜ), which gives the output yₜ: the two chains update each "
        "other.",
        "zh": "这样就得到了新的日记cₜ，它除了会继续往下传递，同时会被用作更新当前短期记忆sₜ，"
        "最后就可以计算输出得到的yₜ，同时保持短期网络记忆链sₜ和长期记忆链cₜ，"
        "并且相互更新。",
    },
    # L5 back to the textbook
    "l5_turn": {
        "en": "Turn the 3D model by 90 degrees, stretch it, project the long-term chain C onto "
        "the plane and open out the links between the two chains: this is the classic "
        "LSTM diagram.",
        "zh": "把3D模型旋转90度，拉伸变形，然后把长期记忆链C投影到平面上，"
        "再扩展长短期记忆链间的关联，就对应上经典LSTM示图了。",
    },
    "l5_hard": {
        "en": "The diagram is hard to read because it shows 3D information flat, so things "
        "overlap, and it puts every detail on at once.",
        "zh": "这个图之所以难懂，主要是因为它用二维视角看三维信息，产生了重叠，"
        "而且一下子摆上了太多的细节，极大地增加了初学者的理解难度。",
    },
    # L6 training
    "l6_train": {
        "en": "An LSTM has more weight matrices than an RNN, so it is harder to train, but "
        "gradient descent still works. This is the real training run of this model.",
        "zh": "和RNN相比，LSTM引入了更多的参数矩阵，因此训练起来麻烦一些，"
        "但依然可以用梯度下降算法进行。这是这个模型真实的训练过程。",
    },
    "l6_train_here": {
        "en": "An LSTM has more weight matrices than an RNN, so it is harder to train, but "
        "gradient descent still works. Your weights came without a training history: "
        "this is an LSTM trained here on the same data.",
        "zh": "和RNN相比，LSTM引入了更多的参数矩阵，因此训练起来麻烦一些，"
        "但依然可以用梯度下降算法进行。你的权重没有训练记录：这里是在同样数据上现场训练的LSTM。",
    },
    "l6_gates": {
        "en": "As the loss falls, the gates learn to open and close: the LSTM attends to the "
        "important parts of the sequence and ignores the rest.",
        "zh": "LSTM在某种程度上模拟了大脑，关注重要片段，而忽略无关信息。",
    },
    "label_sensitivity": {"en": "sensitivity / max", "zh": "敏感度 / 最大值"},
    "label_cell": {"en": "state S, C (tanh range)", "zh": "状态 S、C（tanh范围）"},
    "label_gate": {"en": "gate value", "zh": "门的取值"},
    "label_forget_links": {"en": "C links: forget gate fₜ", "zh": "C链连线：遗忘门fₜ"},
    "label_gate_prob": {"en": "C links: fₜ;  y: probability", "zh": "C链连线：fₜ；y：概率"},
    "label_diary": {"en": "diary", "zh": "日记本"},
    "label_loss": {"en": "loss", "zh": "损失"},
    "label_loss_log": {"en": "loss (log scale)", "zh": "损失（对数刻度）"},
    "label_unit": {"en": "unit", "zh": "单元"},
    "label_train_step": {"en": "training step", "zh": "训练步数"},
    "label_step_loss": {
        "en": "training step {step} of {steps}   loss {loss:.4f}",
        "zh": "训练第{step}步，共{steps}步   损失 {loss:.4f}",
    },
    "label_no_history": {
        "en": "not your model's training: an LSTM trained here on the same "
        "data (rnn3d render --history FILE shows yours)",
        "zh": "不是你的模型的训练：这是在同样数据上现场训练的LSTM"
        "（rnn3d render --history FILE 显示你的）",
    },
    "label_loss_only": {
        "en": "your model's loss; its history has no weight snapshots, so the "
        "gates are those of your final model",
        "zh": "你的模型的损失；训练记录中没有权重快照，门的取值来自你的最终模型",
    },
    "label_rnn_here": {
        "en": "an RNN trained here on your data, for comparison: not your model",
        "zh": "在你的数据上现场训练的RNN，用于对比：不是你的模型",
    },
    "label_zoom_step": {"en": "step t = {t}", "zh": "时刻 t = {t}"},
}


def caption_text(key: str, lang: str = "en", **fields: object) -> str:
    """The sentence with this id in this language, with {fields} filled in."""
    if lang not in LANGS:
        raise RnnError(f"unknown language {lang!r}: use en or zh")
    return CAPTIONS[key][lang].format(**fields) if fields else CAPTIONS[key][lang]
