<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class OrderController extends Controller
{
    public function index(Request $request)
    {
        return DB::select('SELECT id FROM orders WHERE customer_id = ?', [$request->input('customer')]);
    }
}
