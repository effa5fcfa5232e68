/** The demo shop's products. */
export interface Product {
  id: string;
  name: string;
  price: number;
}

export const products: readonly Product[] = [
  { id: '1', name: 'Laptop', price: 999.99 },
  { id: '2', name: 'Phone', price: 599.99 },
  { id: '3', name: 'Headphones', price: 99.99 },
];

export function findProduct(id: string): Product | undefined {
  return products.find((product) => product.id === id);
}
