import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { findProduct, products } from '../catalog.js';
import { type DemoEnv, flash, messages, page } from '../context.js';
import type { CartLine } from '../session-types.js';

/** The shopping cart: a JSON API plus a small shop page that drives it. */
export const cart = new Hono<DemoEnv>();

function total(items: Record<string, CartLine>): number {
  const cents = Object.values(items).reduce(
    (sum, line) => sum + Math.round(line.price * 100) * line.quantity,
    0,
  );
  return cents / 100;
}

cart.post('/cart/add/:id', async (c) => {
  const product = findProduct(c.req.param('id'));
  if (product === undefined) return c.json({ error: 'Product not found' }, 404);
  const items = (await c.var.session.get('cart')) ?? {};
  const line = items[product.id];
  if (line === undefined)
    items[product.id] = { name: product.name, price: product.price, quantity: 1 };
  else line.quantity += 1;
  await c.var.session.set('cart', items);
  await flash(c, 'success', `Added ${product.name} to your cart.`);
  return c.json({ message: 'Product added to cart' });
});

cart.get('/cart', async (c) => {
  const items = (await c.var.session.get('cart')) ?? {};
  return c.json({ items, total: total(items) });
});

cart.post('/cart/clear', async (c) => {
  await c.var.session.delete('cart');
  await flash(c, 'info', 'Your cart is empty.');
  return c.json({ message: 'Cart cleared' });
});

const shopScript = raw(`<script>
  async function call(method, path) {
    const response = await fetch(path, { method, headers: { accept: 'application/json' } });
    return response.json();
  }
  async function render() {
    const { items, total } = await call('GET', '/cart');
    const rows = Object.values(items).map((line) =>
      '<tr><td>' + line.name + '</td><td>' + line.quantity + '</td><td>' + (line.price * line.quantity).toFixed(2) + '</td></tr>');
    document.querySelector('#cart-lines').innerHTML = rows.join('') || '<tr><td colspan="3" class="muted">Your cart is empty</td></tr>';
    document.querySelector('#cart-total').textContent = total.toFixed(2);
  }
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-add], button[data-clear]');
    if (!button) return;
    const { message } = await call('POST', button.dataset.add ? '/cart/add/' + button.dataset.add : '/cart/clear');
    document.querySelector('#cart-status').textContent = message;
    await render();
  });
  render();
</script>`);

cart.get('/shop', async (c) => {
  const t = await messages(c);
  return page(
    c,
    t.shop,
    html`<div class="card">
        <h1>${t.shop}</h1>
        <table>
          ${products.map(
            (product) =>
              html`<tr><td>${product.name}</td><td>$${product.price.toFixed(2)}</td>
                <td><button type="button" data-add="${product.id}" aria-label="Add ${product.name}">Add to cart</button></td></tr>`,
          )}
        </table>
      </div>
      <div class="card">
        <h2>${t.yourCart}</h2>
        <p id="cart-status" role="status" class="muted"></p>
        <table><thead><tr><th>Item</th><th>Qty</th><th>Subtotal</th></tr></thead><tbody id="cart-lines"></tbody></table>
        <p>Total: $<span id="cart-total">0.00</span></p>
        <button type="button" class="secondary" data-clear="1">Clear cart</button>
      </div>
      ${shopScript}`,
  );
});
