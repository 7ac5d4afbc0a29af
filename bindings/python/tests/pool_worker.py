"""Functions the process-pool tests send to worker processes (spawned workers import this
module by name, so it cannot live in a test file's closure)."""
import os

import numpy as np

import lenet


def classify(args):
    """Labels for `images` by a model that travelled to this process pickled."""
    model, images = args
    return model.predict(images)[0]


def threads_after_predicting(args):
    """The library's thread count and the threads this process runs after a big predict."""
    model, images = args
    model.predict(images)
    return lenet.get_num_threads(), len(os.listdir("/proc/self/task")), len(os.sched_getaffinity(0))


def logits(args):
    model, images = args
    return np.asarray(model.predict(images, output="logits")[1])
