"""Every on-screen sentence, keyed by id, in English and Chinese.

The Chinese wording follows the seed (/work/shared/seed/000_eec53ea44e0903a2.txt) wherever the
seed says it; the English is a faithful rendering. Ids start with the shot they belong to
(r1_..., l3_...); short labels used inside a picture start with "label_".
"""

from __future__ import annotations

from rnncore import RnnError

LANGS = ("en", "zh")

CAPTIONS: dict[str, dict[str, str]] = {
    # R1 a plain network
    "r1_network": {
        "en": "A simple network: the input layer x feeds the hidden neurons s, which produce the "
              "output y. Adjusting the weights W_in and W_out is how it learns.",
        "zh": "简单的神经网络一般这样，输入层x进入隐藏层神经元s，再经过输出产生最后的结果y，"
              "通过调整权重W_in和W_out就可以实现学习的效果。",
    },
    "r1_forward": {
        "en": "One forward pass of the trained model: the input lights up, signals run along the "
              "links, the hidden neurons fill with their activations, the output predicts.",
        "zh": "训练好的模型做一次前向计算：输入点亮，信号沿连线传递，隐藏层神经元填入激活值，"
              "输出给出预测。",
    },
    "r1_formula": {
        "en": "One neuron computes S_i = f(sum of w x + b); for the whole layer, in matrix form, "
              "S = f(W_in X + b).",
        "zh": "对神经元模型，隐藏层输出是S_i = f(Σ w·x + b)，写成矩阵形式就是S = f(W_in·X + b)。",
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
              "coloured by its own state S_t.",
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
        "en": "Call the weight matrix between moments W_S. An RNN shares one W_S across all "
              "moments, which keeps the number of parameters small.",
        "zh": "假如用W_S来表示层级间的权重矩阵，RNN通常会假定不同的层，其实也就是不同的时刻"
              "共享一个W_S，这样可以有效地减少训练参数。",
    },
    # R5 the equation
    "r5_plain": {
        "en": "A plain hidden layer computes S = f(W_in X + b).",
        "zh": "写成矩阵形式，隐藏层输出就是S = f(W_in·X + b)。",
    },
    "r5_rnn": {
        "en": "For an RNN it becomes S_t = f(W_in X + W_s S_{t-1} + b): one more term, "
              "W_s S_{t-1}.",
        "zh": "对RNN而言输出就变成了S_t = f(W_in X + W_s S_{t-1} + b)，多了一项W_s S_{t-1}。",
    },
    "r5_memory": {
        "en": "It ties the hidden layer at t-1 to the one at t: the network gains a kind of "
              "memory. Here are one step's real numbers.",
        "zh": "这样就建立了隐层在t-1时刻和t时刻之间的一种迭代关系，换言之，"
              "就是让神经网络有了某种记忆的能力。",
    },
    # R6 iterate
    "r6_iterate": {
        "en": "Step by step: x_t and S_{t-1} give S_t, and S_t gives the output y_t.",
        "zh": "逐步迭代：x_t和S_{t-1}一起得到S_t，S_t再得到输出y_t。",
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
    "label_output": {"en": "output", "zh": "输出"},
    "label_units": {"en": "{shown} of {total} units shown", "zh": "显示{total}个单元中的{shown}个"},
    "label_shared": {"en": "W_S: {n}x{n} = {count} weights, the same at all {steps} steps",
                     "zh": "W_S：{n}x{n} = {count}个权重，{steps}个时刻共用"},
    "label_time": {"en": "time", "zh": "时间"},
}


def caption_text(key: str, lang: str = "en", **fields: object) -> str:
    """The sentence with this id in this language, with {fields} filled in."""
    if lang not in LANGS:
        raise RnnError(f"unknown language {lang!r}: use en or zh")
    return CAPTIONS[key][lang].format(**fields) if fields else CAPTIONS[key][lang]
