#!/usr/bin/env python3
"""PyTorch eager reference for one Mult-VAE^PR training step (Liang et al. 2018), the same shape and work as
vaecf-bench: [I-600-200-600-I] with tanh, L2-normalised input with dropout 0.5, multinomial log-likelihood, KL with
beta 0.2, Adam (lr 1e-3). Prints the step time as a block of steps divided by their number (the GPU queue drained
before and after), users/s, and scoring of --score-users users with the top 100 items.

    python3 bench/pytorch_step.py [--items 20108] [--users 500] [--clicks 73] [--steps 50] [--precision fp32|tf32|bf16]
"""
import argparse
import time

import torch
import torch.nn.functional as F


def clicks(users, items, per_user, generator, device):
    # Power-law-ish popularity like vaecf-bench: squared uniform draws favour low item ids.
    cols = (torch.rand(users, per_user, generator=generator) ** 2 * items).long()
    x = torch.zeros(users, items)
    x.scatter_(1, cols, 1.0)
    return x.to(device)


class MultVae(torch.nn.Module):
    def __init__(self, items, hidden=600, latent=200):
        super().__init__()
        self.latent = latent
        self.enc = torch.nn.ModuleList([torch.nn.Linear(items, hidden), torch.nn.Linear(hidden, 2 * latent)])
        self.dec = torch.nn.ModuleList([torch.nn.Linear(latent, hidden), torch.nn.Linear(hidden, items)])

    def forward(self, x, dropout):
        h = F.dropout(F.normalize(x), p=dropout, training=dropout > 0)
        h = torch.tanh(self.enc[0](h))
        h = self.enc[1](h)
        mu, logvar = h[:, :self.latent], h[:, self.latent:]
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if dropout > 0 else mu
        return self.dec[1](torch.tanh(self.dec[0](z))), mu, logvar


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--items", type=int, default=20108)
    p.add_argument("--users", type=int, default=500)
    p.add_argument("--clicks", type=int, default=73)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--precision", default="fp32", choices=["fp32", "tf32", "bf16"])
    p.add_argument("--score-users", type=int, default=10000)
    a = p.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = a.precision == "tf32"
    g = torch.Generator().manual_seed(1)
    batches = [clicks(a.users, a.items, a.clicks, g, device) for _ in range(8)]
    model = MultVae(a.items).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x):
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            logits, mu, logvar = model(x, 0.5)
        logits = logits.float()
        nll = -(F.log_softmax(logits, 1) * x).sum(1).mean()
        kl = (0.5 * (-logvar.float() + logvar.float().exp() + mu.float() ** 2 - 1)).sum(1).mean()
        opt.zero_grad(set_to_none=True)
        (nll + 0.2 * kl).backward()
        opt.step()
        return nll.detach()

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    for i in range(5):
        step(batches[i % 8])
    sync()
    blocks = []
    for _ in range(3):
        t = time.perf_counter()
        for i in range(a.steps):
            step(batches[i % 8])
        sync()
        blocks.append((time.perf_counter() - t) / a.steps)
    ms = sorted(blocks)[1] * 1000
    print(f"pytorch {torch.__version__} {device} {torch.cuda.get_device_name() if device == 'cuda' else ''}: "
          f"step {ms:.2f} ms (blocks {', '.join(f'{b * 1000:.2f}' for b in blocks)}), {a.users / ms * 1000:.0f} users/s")
    score_ms = float("nan")
    if a.score_users > 0:
        x = clicks(a.score_users, a.items, a.clicks, g, device)
        times = []
        with torch.no_grad():
            for _ in range(5):
                sync()
                t = time.perf_counter()
                logits, _, _ = model(x, 0.0)
                logits[x > 0] = -float("inf")
                top = logits.topk(100, dim=1).indices.cpu()
                times.append((time.perf_counter() - t) * 1000)
        score_ms = sorted(times)[2]
        print(f"scoring {a.score_users} users x {a.items} items with top 100: {score_ms:.1f} ms ({top.shape[0]} rows back)")
    print(f"RESULT pytorch device={device} users={a.users} precision={a.precision} step_ms={ms:.2f} "
          f"users_per_s={a.users / ms * 1000:.0f} scoring_ms={score_ms:.1f}")


if __name__ == "__main__":
    main()
