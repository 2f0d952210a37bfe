const express = require('express');
const mongoose = require('mongoose');
const { exec } = require('child_process');

const Product = mongoose.model('Product', new mongoose.Schema({ name: String, price: Number }));
const app = express();
app.use(express.json());

app.get('/products', async (req, res) => {
  const products = await Product.find({ name: req.query.name });
  res.json(products);
});

app.get('/search', (req, res) => {
  res.send('<p>Results for ' + req.query.q + '</p>');
});

app.post('/admin/backup', (req, res) => {
  exec('tar czf /tmp/backup.tgz ' + req.body.dir, () => res.sendStatus(202));
});

app.get('/safe', async (req, res) => {
  res.json(await Product.find({ name: String(req.query.name) }));
});

module.exports = app;
