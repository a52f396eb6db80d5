"""EL504 inference-without-no-grad: marked lines must fire, all others must stay silent."""
import torch
from torch import nn
import numpy as np
import torch.nn.functional as F


# --- Must fire -------------------------------------------------------------------------------


# Evaluation loop over a dataloader: every batch builds an autograd graph nobody uses.
def evaluate(model, loader, device):
    model.eval()
    correct = 0
    total = 0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        logits = model(images)  # error: EL504
        correct += (logits.argmax(dim=1) == labels).sum().item()
        total += labels.numel()
    return correct / total


# Serving a single prediction: the model call is nested inside softmax.
def predict_one(model, features):
    model.eval()
    x = torch.as_tensor(features, dtype=torch.float32).unsqueeze(0)
    probs = torch.softmax(model(x), dim=-1)  # error: EL504
    return probs.squeeze(0).tolist()


# Feature extraction through an explicit forward() call.
def extract_embeddings(encoder, batches):
    encoder.eval()
    chunks = []
    for batch in batches:
        chunks.append(encoder.forward(batch).cpu().numpy())  # error: EL504
    return np.concatenate(chunks)


# A list comprehension over the test samples.
def predict_labels(classifier, samples):
    classifier.eval()
    return [classifier(s.unsqueeze(0)).argmax().item() for s in samples]  # error: EL504


# A wrapper method: the model lives on self.
class Segmenter:
    def __init__(self, model, threshold=0.5):
        self.model = model
        self.threshold = threshold

    def segment(self, image):
        self.model.eval()
        mask = self.model(image.unsqueeze(0))  # error: EL504
        return (mask.sigmoid() > self.threshold).squeeze(0)


# An async serving handler; the tokenizer call before eval() is not a model call.
class InferenceService:
    def __init__(self, model, tokenizer):
        self.model = model
        self.tokenizer = tokenizer

    async def handle(self, request):
        payload = await request.json()
        inputs = self.tokenizer(payload["text"], return_tensors="pt")
        self.model.eval()
        outputs = self.model(**inputs)  # error: EL504
        return {"label": int(outputs.logits.argmax(dim=-1))}


# Siamese comparison: two calls after eval(), one finding each.
def compare_views(model, left, right):
    model.eval()
    a = model(left)  # error: EL504
    b = model(right)  # error: EL504
    return F.cosine_similarity(a, b)


# Only the fallback call, made after the no-grad block has ended, fires.
def predict_with_fallback(model, batch, fallback):
    model.eval()
    with torch.no_grad():
        primary = model(batch)
    if torch.isnan(primary).any():
        return model(fallback)  # error: EL504
    return primary


# Edge camera loop: a while loop polling frames.
def run_camera(detector, camera):
    detector.eval()
    while camera.is_open():
        frame = camera.read()
        boxes = detector(frame)  # error: EL504
        camera.draw(boxes)


# A multi-line call: the finding points at the line where the call starts.
def classify_text(model, tokenizer, text):
    model.eval()
    enc = tokenizer(text, return_tensors="pt", truncation=True)
    out = model(  # error: EL504
        input_ids=enc["input_ids"],
        attention_mask=enc["attention_mask"],
    )
    return out.logits.argmax(dim=-1)
