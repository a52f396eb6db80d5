"""EL401 gc-collect-in-loop: marked lines must fire, all others must stay silent."""
import gc
import time
from gc import collect


# --- Must fire -------------------------------------------------------------------------------


# A full collection after every batch of an inference job.
def run_batches(model, batches, sink):
    for batch in batches:
        sink.write(model.predict(batch))
        gc.collect()  # error: EL401


# The camera loop collects on every frame.
def capture_loop(camera, detector, running):
    while running.is_set():
        frame = camera.read()
        detector.process(frame)
        gc.collect()  # error: EL401


# collect imported from gc and called by its bare name.
def replay_log(records, apply):
    for record in records:
        apply(record)
        collect()  # error: EL401


# Under an if inside the loop body: still once per hundred iterations, still in the loop.
def ingest(rows, db):
    for i, row in enumerate(rows):
        db.insert(row)
        if i % 100 == 0:
            gc.collect()  # error: EL401


# An explicit generation argument is still a collection in a loop.
def retrain_shards(trainer, shards):
    for shard in shards:
        trainer.fit(shard)
        gc.collect(2)  # error: EL401


# In the finally of a try inside the loop.
def convert_all(paths, converter):
    for path in paths:
        try:
            converter.convert(path)
        finally:
            gc.collect()  # error: EL401


# Inside the inner loop of a nested loop.
def sweep(grid, evaluate):
    results = {}
    for lr in grid["lr"]:
        for batch_size in grid["batch_size"]:
            results[(lr, batch_size)] = evaluate(lr, batch_size)
            gc.collect()  # error: EL401
    return results


# An async consumer collecting per message.
async def consume(stream, handler):
    async for message in stream:
        await handler(message)
        gc.collect()  # error: EL401


# A method whose loop collects inside a with block.
class TileRenderer:
    def render_all(self, tiles, lock):
        for tile in tiles:
            with lock:
                self.render(tile)
                gc.collect()  # error: EL401


# A list comprehension calling gc.collect on each pass.
def collect_until_stable():
    return [gc.collect() for _ in range(3)]  # error: EL401


# A generator expression is a comprehension too.
def freed_objects(passes):
    return sum(gc.collect() for _ in range(passes))  # error: EL401


# A nested function that itself loops.
def make_cleaner(caches):
    def clean():
        for cache in caches:
            cache.clear()
            gc.collect()  # error: EL401

    return clean


# At module level, in a warm-up loop run at import time.
WARMUP_SIZES = (1, 8, 32)
for size in WARMUP_SIZES:
    time.sleep(0)
    gc.collect()  # error: EL401


# --- Must not fire ---------------------------------------------------------------------------


# Collect once after the batch, not on every iteration.
def run_batches_once(model, batches, sink):
    for batch in batches:
        sink.write(model.predict(batch))
    gc.collect()


# Collect once before the loop starts.
def serve(server, requests):
    gc.collect()
    for request in requests:
        server.handle(request)


# A nested def in the loop body starts afresh: its body is not in a loop.
def schedule_cleanups(scheduler, jobs):
    for job in jobs:
        def cleanup():
            gc.collect()

        scheduler.after(job, cleanup)
