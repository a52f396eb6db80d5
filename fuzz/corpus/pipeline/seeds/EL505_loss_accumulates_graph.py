"""EL505 loss-accumulates-graph: marked lines must fire, all others must stay silent."""
import torch
from torch import nn
import numpy as np
import torch.nn.functional as F


# --- Must fire -------------------------------------------------------------------------------


# The classic training loop: the running loss keeps every iteration's graph alive.
def train_epoch(model, loader, optimizer, loss_fn):
    model.train()
    running_loss = 0.0
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        running_loss += loss  # error: EL505
    return running_loss / len(loader)


# acc = acc + loss, accumulated before backward() is called.
def train_regression(model, loader, optimizer):
    total = 0
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        total = total + loss  # error: EL505
        loss.backward()
        optimizer.step()
    return total


# A loss history kept for plotting, in the inner loop of an epoch loop.
def fit(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            history.append(loss)  # error: EL505
    return history


# backward() nested in an if that skips non-finite losses.
def train_skip_nan(model, loader, optimizer, loss_fn):
    good_loss = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        if torch.isfinite(loss):
            loss.backward()
            optimizer.step()
            good_loss += loss  # error: EL505
    return good_loss


# Gradient accumulation: rescaling the loss itself is fine, accumulating it is not.
def train_with_accumulation(model, loader, optimizer, loss_fn, accum_steps=4):
    epoch_loss = 0.0
    for step, (x, y) in enumerate(loader):
        loss = loss_fn(model(x), y)
        loss = loss / accum_steps
        loss.backward()
        epoch_loss += loss  # error: EL505
        if (step + 1) % accum_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
    return epoch_loss


# A step-budget while loop collecting losses for a final mean.
def train_steps(model, batches, optimizer, loss_fn, max_steps):
    step = 0
    losses = []
    while step < max_steps:
        x, y = next(batches)
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss)  # error: EL505
        step += 1
    return torch.stack(losses).mean()


# A trainer method logging into a list on self.
class Trainer:
    def __init__(self, model, optimizer, loss_fn):
        self.model = model
        self.optimizer = optimizer
        self.loss_fn = loss_fn
        self.train_losses = []

    def run_epoch(self, loader):
        self.model.train()
        for batch in loader:
            self.optimizer.zero_grad()
            loss = self.loss_fn(self.model(batch["x"]), batch["y"])
            loss.backward()
            self.optimizer.step()
            self.train_losses.append(loss)  # error: EL505
